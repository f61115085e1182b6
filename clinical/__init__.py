"""The clinical core: how a message is read (extractor, clauses, lexicon.yml),
the triage policy as data and code (triage, triage_rules.yml), the symptom
check's questions (interview) and the reading handed to the actions (reading).
Plain Python: no Rasa import, so it is tested and reused on its own.
"""
