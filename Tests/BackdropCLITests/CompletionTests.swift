import Foundation
import Testing

/// Issue 20, item 2: shell completions made by swift-argument-parser from the commands themselves
/// (scripts/install puts them where bash, zsh and fish look), so they name every command and option.
@Suite("Shell completions")
struct CompletionTests {
    @Test("bash, zsh and fish completions name the commands and the new options; bash's parses", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let run = try Backdrop.run(["--generate-completion-script", shell])
        #expect(run.exitCode == 0, "\(run.transcript)")
        for word in ["remove-bg", "studio", "mockup", "scrub", "redact", "batch", "--background", "--mask", "--template"] {
            // fish names a long option without its dashes (-l 'background').
            let spelled = shell == "fish" && word.hasPrefix("--") ? "-l '\(word.dropFirst(2))'" : word
            #expect(run.standardOutput.contains(spelled), "\(shell) completion lacks \(spelled)")
        }
        if shell == "bash" {
            let directory = try TemporaryDirectory()
            let script = directory.path("backdrop.bash")
            try run.standardOutput.write(to: script, atomically: true, encoding: .utf8)
            // -n: parse without running.
            _ = try CommandRunner.tool("bash", ["-n", script.path])
        }
    }
}
