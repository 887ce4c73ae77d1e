@testable import KubeCore
import Foundation
import Testing

@Suite struct ObjectUIDTests {
    @Test func formatsBitsAsAVersionFourUUID() {
        #expect(ObjectUID.format(high: 0, low: 0) == "00000000-0000-4000-8000-000000000000")
        #expect(ObjectUID.format(high: .max, low: .max) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        #expect(ObjectUID.format(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
            == "01234567-89ab-4def-bedc-ba9876543210")
    }

    @Test func generatesDistinctParseableUIDs() {
        let uids = (0..<1000).map { _ in ObjectUID.generate() }
        #expect(Set(uids).count == uids.count)
        for uid in uids.prefix(20) {
            let parsed = UUID(uuidString: uid)
            #expect(parsed != nil)
            #expect(parsed?.uuidString.lowercased() == uid)
            #expect(Array(uid.utf8)[14] == UInt8(ascii: "4"))
        }
    }
}
