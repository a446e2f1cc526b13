"""The facilitator's debrief pages: a team's replay and the comparison across teams."""
