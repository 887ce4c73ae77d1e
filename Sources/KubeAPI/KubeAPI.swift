public import KubeCore
