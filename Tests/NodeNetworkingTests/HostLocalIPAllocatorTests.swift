import Foundation
import NodeNetworking
import Testing

@Suite struct HostLocalIPAllocatorTests {
    @Test func allocate_skipsNetworkAndGateway_andIsStablePerSandbox() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let allocator = try HostLocalIPAllocator(range: #require(IPv4CIDR("10.250.3.0/29")), directory: directory.path)

        let first = try await allocator.allocate(for: "sandbox-a")
        let again = try await allocator.allocate(for: "sandbox-a")
        let second = try await allocator.allocate(for: "sandbox-b")

        #expect(first == IPv4Address("10.250.3.2"))
        #expect(again == first)
        #expect(second == IPv4Address("10.250.3.3"))
        #expect(try await allocator.address(for: "sandbox-b") == second)
        #expect(try await allocator.address(for: "sandbox-c") == nil)
        #expect(allocator.capacity == 5)
        let fileContent = try String(contentsOfFile: directory.path + "/10.250.3.2", encoding: .utf8)
        #expect(fileContent == "sandbox-a")
    }

    @Test func allocate_afterRelease_continuesAfterTheLastReservedAddress() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let allocator = try HostLocalIPAllocator(range: #require(IPv4CIDR("10.250.4.0/24")), directory: directory.path)
        _ = try await allocator.allocate(for: "a")
        _ = try await allocator.allocate(for: "b")

        let released = try await allocator.release(sandboxID: "a")
        let next = try await allocator.allocate(for: "c")

        #expect(released == [IPv4Address("10.250.4.2")!])
        #expect(next == IPv4Address("10.250.4.4"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/10.250.4.2"))
        #expect(try await allocator.allocations() == [IPv4Address("10.250.4.3")!: "b", IPv4Address("10.250.4.4")!: "c"])
    }

    @Test func reservations_surviveANewAllocatorOnTheSameDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let range = try #require(IPv4CIDR("10.250.5.0/24"))
        let before = try HostLocalIPAllocator(range: range, directory: directory.path)
        let addressA = try await before.allocate(for: "a")
        let addressB = try await before.allocate(for: "b")

        let after = try HostLocalIPAllocator(range: range, directory: directory.path)

        #expect(try await after.allocate(for: "a") == addressA)
        #expect(try await after.address(for: "b") == addressB)
        #expect(try await after.allocate(for: "c") == IPv4Address("10.250.5.4"))
        #expect(try await after.release(sandboxID: "b") == [addressB])
        #expect(try await HostLocalIPAllocator(range: range, directory: directory.path).allocations().count == 2)
    }

    @Test func allocate_whenEveryAddressIsTaken_throwsExhausted_andWrapsAroundAfterARelease() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let allocator = try HostLocalIPAllocator(range: #require(IPv4CIDR("10.250.6.0/29")), directory: directory.path)
        var addresses: [IPv4Address] = []
        for index in 0..<5 { addresses.append(try await allocator.allocate(for: "pod-\(index)")) }
        #expect(addresses.map(\.description) == ["10.250.6.2", "10.250.6.3", "10.250.6.4", "10.250.6.5", "10.250.6.6"])

        await #expect {
            _ = try await allocator.allocate(for: "one-too-many")
        } throws: { error in
            guard case .addressRangeExhausted(let range, let inUse) = error as? NodeNetworkingError else { return false }
            return range.description == "10.250.6.0/29" && inUse == 5
                && "\(error)".contains("no free pod IP address left in 10.250.6.0/29")
        }

        try await allocator.release(sandboxID: "pod-1")
        #expect(try await allocator.allocate(for: "one-too-many") == IPv4Address("10.250.6.3"))
    }

    @Test func allocate_skipsAddressesReservedOnDiskByAnotherWriter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let allocator = try HostLocalIPAllocator(range: #require(IPv4CIDR("10.250.7.0/24")), directory: directory.path)
        _ = try await allocator.allocations()
        try "intruder".write(toFile: directory.path + "/10.250.7.2", atomically: false, encoding: .utf8)

        #expect(try await allocator.allocate(for: "a") == IPv4Address("10.250.7.3"))
        #expect(try await allocator.allocations()[IPv4Address("10.250.7.2")!] == "intruder")
    }

    @Test func release_ofAnUnknownSandbox_releasesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let allocator = try HostLocalIPAllocator(range: #require(IPv4CIDR("10.250.8.0/24")), directory: directory.path)
        _ = try await allocator.allocate(for: "a")
        #expect(try await allocator.release(sandboxID: "unknown").isEmpty)
        #expect(try await allocator.allocations().count == 1)
    }

    @Test(arguments: ["10.250.9.0/31", "10.250.9.0/32"])
    func init_withoutRoomForAPod_throws(_ cidr: String) throws {
        #expect(throws: NodeNetworkingError.self) {
            _ = try HostLocalIPAllocator(range: #require(IPv4CIDR(cidr)), directory: "/nonexistent")
        }
    }
}
