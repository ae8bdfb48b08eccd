"""Plumbing every app may use and that uses no app: the client's address,
rate limits. (The rest of the plumbing moves here with the renovation.)"""
