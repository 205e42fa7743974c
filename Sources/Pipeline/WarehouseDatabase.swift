public import Foundation
import Load
public import Logging
public import Postgres
public import PostgresCluster

/// The warehouse to use: given on the command line, named by the environment, or the embedded default.
public enum WarehouseDatabase: Sendable {
    /// `--database`: a URL or a libpq keyword string.
    case explicit(PostgresConfiguration)
    /// `DATABASE_URL`, or libpq's `PG*` variables.
    case environment(PostgresConfiguration)
    /// No database configured: a local cluster under `.bayan/` that Bayan creates and starts itself.
    case embedded(EmbeddedDatabase)

    /// Picks the database: `--database`, then the environment, then the embedded cluster.
    public static func resolve(
        explicit: String?, environment: [String: String], workingDirectory: URL
    ) throws -> WarehouseDatabase {
        if let explicit, !explicit.isEmpty { return .explicit(PostgresConfiguration(explicit)) }
        if PostgresConfiguration.environmentNamesDatabase(environment) {
            return .environment(PostgresConfiguration.fromEnvironment(environment))
        }
        return .embedded(try EmbeddedDatabase(workingDirectory: workingDirectory, environment: environment))
    }

    /// Where it is, safe to print.
    public var description: String {
        switch self {
        case .explicit(let configuration): "\(configuration.redactedDescription) (from --database)"
        case .environment(let configuration):
            configuration.connectionString.isEmpty ? "the PG* environment variables" : "\(configuration.redactedDescription) (from DATABASE_URL)"
        case .embedded(let database): "embedded cluster in \(database.cluster.directory.path)"
        }
    }

    /// Opens a connection to the warehouse with its schema up to date.
    ///
    /// The embedded cluster is created, started and migrated as needed. A configured database is migrated
    /// only when `migrate` is true; otherwise pending migrations are an error that says to run `bayan migrate`.
    public func connect(home: BayanHome, migrate: Bool, logger: Logger, allowPending: Bool = false) throws -> PostgresConnection {
        let configuration: PostgresConfiguration
        var shouldMigrate = migrate
        switch self {
        case .explicit(let value), .environment(let value):
            configuration = value
        case .embedded(let database):
            configuration = PostgresConfiguration(try database.start(logger: logger))
            shouldMigrate = true
        }
        let connection = try PostgresConnection(configuration: configuration, logger: logger)
        let migrator = try Migrator(directory: home.migrationsDirectory, logger: logger)
        if shouldMigrate {
            try migrator.migrate(connection)
        } else if !allowPending {
            let pending = try migrator.pending(on: connection)
            if !pending.isEmpty { throw MigrationError.pending(pending.map(\.fileName)) }
        }
        return connection
    }
}

/// The embedded default database: a PostgreSQL cluster in `.bayan/postgres/` of the working directory,
/// reachable only through its Unix socket, with a `bayan` database.
public struct EmbeddedDatabase: Sendable {
    public let cluster: PostgresCluster
    public static let databaseName = "bayan"

    public init(workingDirectory: URL, environment: [String: String]) throws(PostgresClusterError) {
        cluster = try PostgresCluster(directory: workingDirectory.appendingPathComponent(".bayan/postgres"), environment: environment)
    }

    /// The URL to hand to `psql`.
    public var url: String { cluster.url(database: Self.databaseName) }

    /// Creates the cluster if needed, starts it if needed, creates the `bayan` database if needed.
    ///
    /// - Returns: the database's URL.
    @discardableResult
    public func start(logger: Logger) throws -> String {
        try cluster.initialize(logger: logger)
        try cluster.start(logger: logger)
        let admin = try PostgresConnection(configuration: PostgresConfiguration(cluster.url(database: "postgres")), logger: logger)
        defer { admin.close() }
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [Self.databaseName])
        if exists.isEmpty {
            logger.info("creating database", metadata: ["db.name": "\(Self.databaseName)"])
            try admin.execute("CREATE DATABASE \(Self.databaseName)")
        }
        return url
    }

    public func stop(logger: Logger) throws { try cluster.stop(logger: logger) }

    public func isRunning() throws -> Bool { try cluster.isRunning() }
}
