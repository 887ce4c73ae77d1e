// ClusterAssembly
