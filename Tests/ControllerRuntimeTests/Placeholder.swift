// ControllerRuntimeTests
