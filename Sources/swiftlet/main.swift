import KubeStorage
import SwiftletBench
print("swiftlet")
