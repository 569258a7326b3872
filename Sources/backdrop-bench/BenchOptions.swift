import Foundation

/// Flags shared by the benchmarks; nil means the benchmark's own default (the setting).
struct BenchOptions {
    var count: Int?
    var megapixels: Double?
    var threads: Int?
    var jobs: Int?
    var work = "bench-out"
    /// scan only: `labels` (scripts/pii-corpus) or `scenes` (scripts/pii-scenes); nil runs both.
    var corpus: String?

    struct BadOption: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var i = 0
        func value() throws -> String {
            guard i + 1 < arguments.count else { throw BadOption(description: "\(arguments[i]) needs a value") }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--count":
                guard let n = Int(try value()), n > 0 else { throw BadOption(description: "expected a positive number for --count") }
                options.count = n
            case "--megapixels":
                guard let m = Double(try value()), m > 0 else { throw BadOption(description: "expected a positive number for --megapixels") }
                options.megapixels = m
            case "--threads":
                guard let n = Int(try value()), n > 0 else { throw BadOption(description: "expected a positive number for --threads") }
                options.threads = n
            case "--jobs":
                guard let n = Int(try value()), n > 0 else { throw BadOption(description: "expected a positive number for --jobs") }
                options.jobs = n
            case "--work":
                options.work = try value()
            case "--corpus":
                let name = try value()
                guard ["labels", "scenes"].contains(name) else { throw BadOption(description: "expected labels or scenes for --corpus") }
                options.corpus = name
            default:
                throw BadOption(description: "unknown option \(arguments[i])")
            }
            i += 1
        }
        return options
    }
}
