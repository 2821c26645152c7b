"""Domain logic of the provincial Front news site.

Plain Python modules that the Pelican plugins, the ``invoke`` tasks and the
tests all call: the content model, the unit and topic registries, the
working-day calendar, photo metrics and the problem reports contributors see.
Nothing here imports Pelican, so every rule can be tested on its own.
"""
