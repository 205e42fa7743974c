public import Foundation
public import Postgres
import RunArtifacts

/// Writes the run ledger: the run's row in `runs` and a row per stage in `run_stages`, as the run goes.
///
/// Each write is its own statement (autocommit), so the ledger says what happened even when a stage fails
/// or the process is killed (a stage left `running` with no end time is what a crash looks like).
public struct RunLedger {
    public let runID: String

    public init(runID: String) { self.runID = runID }

    /// Records the run as running (a run continued or resumed keeps its first start time).
    public func begin(on connection: PostgresConnection, startedAt: Date, stages: [String], arguments: [String], configHash: String?) throws {
        try connection.query("""
            INSERT INTO runs (run_id, started_at, status, stages, arguments, config_hash)
            VALUES ($1, $2, 'running', $3::text[], $4::text[], $5)
            ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL, error = NULL,
                stages = (SELECT array_agg(DISTINCT s ORDER BY s) FROM unnest(runs.stages || EXCLUDED.stages) AS s),
                arguments = EXCLUDED.arguments, config_hash = EXCLUDED.config_hash
            """, [runID, startedAt, PostgresArrayLiteral.encode(stages), PostgresArrayLiteral.encode(arguments), configHash])
    }

    /// Records that `stage` started (again, when a stage of the run is re-run by flag).
    public func stageStarted(_ stage: String, on connection: PostgresConnection, at date: Date = Date()) throws {
        try connection.query("""
            INSERT INTO run_stages (run_id, stage, started_at, status) VALUES ($1, $2, $3, 'running')
            ON CONFLICT (run_id, stage) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = NULL,
                status = 'running', counts = '{}', error = NULL
            """, [runID, stage, date])
    }

    /// Records how `stage` ended, with its counts (any `Encodable` summary, stored as JSON).
    public func stageFinished(_ stage: String, status: String, counts: (any Encodable)?, error: String? = nil,
                              on connection: PostgresConnection, at date: Date = Date()) throws {
        try connection.query("""
            UPDATE run_stages SET finished_at = greatest($3, started_at), status = $4, counts = coalesce($5::jsonb, counts), error = $6
            WHERE run_id = $1 AND stage = $2
            """, [runID, stage, date, status, try counts.map(Self.json), error])
    }

    /// Records how the run ended, with the extract counts the load does not know.
    public func finish(status: String, error: String?, filesSeen: Int?, filesDuplicate: Int?, filesKnown: Int?, quarantined: Int?,
                       on connection: PostgresConnection, at date: Date = Date()) throws {
        try connection.query("""
            UPDATE runs SET status = $2, error = $3, finished_at = greatest($4, started_at),
                files_seen = coalesce($5, files_seen), files_duplicate = coalesce($6, files_duplicate),
                files_known = coalesce($7, files_known), quarantined = greatest(coalesce($8, 0), quarantined)
            WHERE run_id = $1
            """, [runID, status, error, date, filesSeen, filesDuplicate, filesKnown, quarantined])
    }

    static func json(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
