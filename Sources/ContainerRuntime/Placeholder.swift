enum ContainerRuntimePlaceholder {}
