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

    /// The gate; with `preparing`, its models start loading on a background thread at once (remove-bg
    /// instead loads them when refinement begins, through the inspector).
    func gate(limits: ImageLimits, preparing: Bool = true) -> PrivacyGatekeeper {
        let keeper = PrivacyGatekeeper(gate: PrivacyGate(mode: PrivacyGateMode(rawValue: privacyGate) ?? .warn,
                                            scanner: PrivacyScanner(options: ScanOptions(limits: limits, depth: .quick))))
        if preparing { keeper.prepare() }
        return keeper
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
    private var prepared = false
    private let loading = DispatchGroup()

    /// Starts loading the gate's models on a background thread, once (nothing when the gate is off), so
    /// that the first export's scan does not wait for them.
    func prepare() {
        guard gate.mode != .off, lock.withLock({ () -> Bool in
            defer { prepared = true }
            return !prepared
        }) else { return }
        let scanner = gate.scanner, loading = loading
        loading.enter()
        Thread.detachNewThread {
            scanner.loadModels()
            loading.leave()
        }
    }

    /// Waits for models still loading: the process must not exit (a bad option, a broken model) while
    /// ONNX Runtime loads on another thread. Every command that makes a gate defers this.
    func settle() {
        loading.wait()
    }

    /// The gate as an inspector of one output's pixels (`path` names the input in messages); nil when off.
    func inspector(for path: String) -> (any ImageInspector)? {
        gate.mode == .off ? nil : Inspector(keeper: self, path: path)
    }

    private struct Inspector: ImageInspector {
        let keeper: PrivacyGatekeeper
        let path: String
        var mayChangePixels: Bool { keeper.gate.mode == .redact }

        func inspect(_ image: VipsImage) throws -> VipsImage? {
            try keeper.judge(path: path) {
                let (findings, covered) = try keeper.gate.apply(to: image)
                return (findings, covered != nil, covered)
            }
        }

        func prepare() {
            keeper.prepare()
        }
    }

    /// Runs the gate, says what it found (kinds only) and counts a blocked export.
    private func judge<Output>(path: String, _ scan: () throws -> (findings: [Finding], redacted: Bool, output: Output)) throws -> Output {
        do {
            let (findings, redacted, output) = try scan()
            say(findings, redacted: redacted, path: path)
            return output
        } catch let blocked as PrivacyBlocked {
            lock.withLock { blockedCount += 1 }
            throw blocked
        }
    }

    private func say(_ findings: [Finding], redacted: Bool, path: String) {
        guard !findings.isEmpty else { return }
        let action = redacted ? "covered before writing" : "written anyway (--privacy-gate block refuses, redact covers)"
        Console.error("backdrop: \(path): privacy: \(PrivacyGate.summary(findings)); \(action)")
    }

    func pass(_ bytes: [UInt8], format: ImageFormat, quality: Int?, path: String) throws -> [UInt8] {
        try judge(path: path) {
            let outcome = try gate.apply(to: bytes, format: format, quality: quality)
            return (outcome.findings, outcome.redacted, outcome.bytes)
        }
    }
}
