// SimulatedNodes
