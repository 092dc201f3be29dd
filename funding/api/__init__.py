"""Funding API routes; the viewsets live in each subject's api.py."""
