"""Lotse — software for the Kommunales Integrationsmanagement (KIM)."""
