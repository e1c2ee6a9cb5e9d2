"""Response teams, RACI, impact and cause analysis, playbooks, resources (§4)."""
