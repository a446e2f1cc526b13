"""The JIT legislation assessment: criteria from the international standards, each country's
provisions assessed against them (every change kept), recommendations tracked as measures."""
