enum NodeNetworkingPlaceholder {}
