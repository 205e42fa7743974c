import ArgumentParser
import Foundation
import Load
import Pipeline
import Postgres

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the pending schema migrations in sql/migrations to the warehouse.",
        discussion: "Idempotent: applied migrations are skipped; a migration file edited after it was applied is refused.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        let logger = logging.makeLogger()
        do {
            let home = try BayanHome.locate()
            let target = try database.target()
            // connect() migrates the embedded database itself; migrate explicitly for a configured one.
            let connection = try target.connect(home: home, migrate: false, logger: logger, allowPending: true)
            defer { connection.close() }
            let applied = try Migrator(directory: home.migrationsDirectory, logger: logger).migrate(connection)
            let total = try connection.query("SELECT count(*) AS n FROM schema_migrations")[0].decode("n", as: Int.self)
            if applied.isEmpty {
                print("Schema up to date (\(total) migration(s) applied) in \(target.description).")
            } else {
                for migration in applied { print("applied \(migration.fileName)") }
                print("Schema up to date (\(total) migration(s) applied) in \(target.description).")
            }
        } catch {
            throw fail(error)
        }
    }
}
