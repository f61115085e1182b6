"""Input channels of the project (fixes of Rasa's stock connectors) and their configuration."""
