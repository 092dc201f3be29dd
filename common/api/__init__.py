"""The API kernel every resource builds on: authentication, scope, permissions, errors, pages."""
