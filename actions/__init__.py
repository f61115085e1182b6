"""Custom actions of the muscle-twitching assistant (served by `rasa run actions`)."""
