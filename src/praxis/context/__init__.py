"""Context engine: token counting, budget allocation, anchor summaries, anatomy, adaptation.

Nothing is re-exported here: the remote `ask` path imports `praxis.context.tokens` alone, and a
package `__init__` that imported the budget and summariser would make it pay for them.
"""
