"""The report for a doctor: its content, the PDF and FHIR R4 (plain Python, no Rasa)."""
