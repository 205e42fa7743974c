import ArgumentParser
import Foundation
import Pipeline
import PostgresCluster
import Postgres

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded PostgreSQL cluster under .bayan/postgres.",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self])

    static func embedded() throws -> EmbeddedDatabase {
        try EmbeddedDatabase(workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                             environment: ProcessInfo.processInfo.environment)
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (if needed), start and migrate the embedded cluster.")
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let logger = logging.makeLogger()
            do {
                let database = try DatabaseCommand.embedded()
                let home = try BayanHome.locate()
                let connection = try WarehouseDatabase.embedded(database).connect(home: home, migrate: true, logger: logger)
                connection.close()
                print("Embedded PostgreSQL is running: \(database.url)")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            do {
                let database = try DatabaseCommand.embedded()
                let wasRunning = try database.isRunning()
                try database.stop(logger: logging.makeLogger())
                print(wasRunning ? "Embedded PostgreSQL stopped." : "Embedded PostgreSQL was not running.")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the embedded cluster exists and runs; exit 3 when it does not run.")

        func run() throws {
            let database: EmbeddedDatabase
            let running: Bool
            do {
                database = try DatabaseCommand.embedded()
                running = try database.isRunning()
            } catch {
                throw fail(error)
            }
            guard database.cluster.isInitialized else {
                print("No embedded cluster in \(database.cluster.directory.path) (created by 'bayan db start' or the first 'bayan run').")
                throw ExitCode(3)
            }
            print("data directory  \(database.cluster.dataDirectory.path)")
            print("status          \(running ? "running" : "stopped")")
            print("url             \(database.url)")
            if !running { throw ExitCode(3) }
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the embedded database's URL, for psql.")

        func run() throws {
            do {
                print(try DatabaseCommand.embedded().url)
            } catch {
                throw fail(error)
            }
        }
    }
}
