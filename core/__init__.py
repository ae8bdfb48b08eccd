"""Plumbing every app may use and that uses no app: the client's address,
rate limits, the resilient cache, the task outbox, job heartbeats and the
status transition helper. (The rest of the plumbing moves here with the
renovation of issue 16.)"""
