"""Follow-up over time: the diary, its observations and chart, check-in dates (no Rasa imports)."""
