import ArgumentParser
import Foundation
import BackdropImaging
import BackdropPrivacy

/// `--privacy-gate off|warn|block|redact` for every command that exports images.
struct PrivacyGateOptions: ParsableArguments {
    @Option(help: "Scan each output for personal data before writing it: off, warn (write and say so), block (refuse: exit 3), redact (cover it first).")
    var privacyGate: String = PrivacyGateMode.warn.rawValue

    func validate() throws {
        guard PrivacyGateMode(rawValue: privacyGate) != nil else {
            throw ValidationError(OptionError(option: "privacy-gate", expected: "off, warn, block or redact", got: privacyGate).description)
        }
    }

    func gate(limits: ImageLimits) -> PrivacyGatekeeper {
        PrivacyGatekeeper(gate: PrivacyGate(mode: PrivacyGateMode(rawValue: privacyGate) ?? .warn,
                                            scanner: PrivacyScanner(options: ScanOptions(limits: limits))))
    }
}

/// Runs the gate on a command's output bytes, says what it found (kinds only) and remembers whether
/// anything was blocked, for exit code 3.
final class PrivacyGatekeeper: @unchecked Sendable {
    let gate: PrivacyGate
    private let lock = NSLock()
    private var blockedCount = 0

    init(gate: PrivacyGate) {
        self.gate = gate
    }

    var blocked: Int { lock.withLock { blockedCount } }

    func pass(_ bytes: [UInt8], format: ImageFormat, quality: Int?, path: String) throws -> [UInt8] {
        do {
            let outcome = try gate.apply(to: bytes, format: format, quality: quality)
            if !outcome.findings.isEmpty {
                let action = outcome.redacted ? "covered before writing" : "written anyway (--privacy-gate block refuses, redact covers)"
                Console.error("backdrop: \(path): privacy: \(PrivacyGate.summary(outcome.findings)); \(action)")
            }
            return outcome.bytes
        } catch let blocked as PrivacyBlocked {
            lock.withLock { blockedCount += 1 }
            throw blocked
        }
    }
}
