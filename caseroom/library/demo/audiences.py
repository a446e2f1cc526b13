"""Audience codes the demo sections are marked with (vocab.AUDIENCES)."""

POLICE, PROSECUTORS, JUDGES = "police", "prosecutors", "judges"
SOCIAL, NGOS, BORDER = "social-workers", "ngos", "border-migration"
