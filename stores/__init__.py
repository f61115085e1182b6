"""Tracker and lock stores Rasa loads by path from endpoints.yml."""
