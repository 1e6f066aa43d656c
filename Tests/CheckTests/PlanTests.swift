import XCTest
@testable import Check
import Profiles

final class PlanTests: XCTestCase {
    func testLittlesLaw() {
        XCTAssertEqual(SuitePlan.depth(rate: 3000, latencySeconds: 0.010), 30)
        XCTAssertEqual(SuitePlan.depth(rate: 0, latencySeconds: 0.010), 1)
    }
}
