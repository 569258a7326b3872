import ArgumentParser
import BackdropServer
import Foundation

extension Backdrop {
    /// `backdrop keys`: the server's API keys.
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke the server's API keys (only each key's SHA-256 is stored).",
            subcommands: [Create.self, List.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a key and print it once; it cannot be shown again.")

            @Option(help: "A name for the key (who or what uses it).")
            var name: String

            @Option(help: "Operations the key may call, comma-separated (inspect, scrub, remove-background, studio, check, mockup, scan, redact, jobs), or * for all.")
            var scopes: String = "*"

            @OptionGroup var data: DataDirectoryOption

            func run() async throws {
                let store = KeyStore(database: try ServerDatabase(dataDirectory: data.directory))
                let scopes = Set(scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
                do {
                    let (key, secret) = try store.create(name: name, scopes: scopes)
                    Console.out(secret)
                    Console.error("backdrop: key \(key.id) (\(key.name)) created; this is the only time it is shown")
                } catch let error as KeyError {
                    Console.error("backdrop: \(error)")
                    throw ExitCode(1)
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List keys: id, name, scopes, created, revoked.")

            @OptionGroup var data: DataDirectoryOption

            func run() async throws {
                let store = KeyStore(database: try ServerDatabase(dataDirectory: data.directory))
                let format = ISO8601DateFormatter()
                for key in try store.list() {
                    let state = key.revokedAt.map { "revoked \(format.string(from: $0))" } ?? "active"
                    Console.out("\(key.id)  \(key.name)  scopes=\(key.scopes.sorted().joined(separator: ","))  created \(format.string(from: key.createdAt))  \(state)")
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a key by id or name; its requests get 401 from then on.")

            @Argument(help: "The key's id (key_…) or name.")
            var key: String

            @OptionGroup var data: DataDirectoryOption

            func run() async throws {
                let store = KeyStore(database: try ServerDatabase(dataDirectory: data.directory))
                let revoked = try store.revoke(key)
                guard !revoked.isEmpty else {
                    Console.error("backdrop: no active key has the id or name \(key)")
                    throw ExitCode(1)
                }
                for item in revoked { Console.out("revoked \(item.id) (\(item.name))") }
            }
        }
    }

    /// `backdrop retention`: what the server keeps, where, and when it goes.
    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say what the server stores (keys, audit log, encrypted job results), where, and when each goes.")

        @OptionGroup var data: DataDirectoryOption

        @Option(help: "Minutes async job results are kept (as given to serve).")
        var jobTtl: Int = 15

        @Option(help: "Days audit entries are kept (as given to serve).")
        var auditDays: Int = 30

        func run() async throws {
            var configuration = ServerConfiguration()
            configuration.dataDirectory = data.directory
            configuration.jobTimeToLive = .seconds(jobTtl * 60)
            configuration.auditRetention = .seconds(auditDays * 86400)
            Console.out(try RetentionReport.describe(configuration: configuration))
        }
    }
}
