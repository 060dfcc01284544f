"""Shared fixtures of the cross-plugin tests."""
