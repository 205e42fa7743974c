import Foundation
@testable import PostgresCluster
import Testing

@Suite struct ServerBinariesTests {
    @Test func missingServerProgramsSayWhatToInstall() {
        #expect {
            _ = try PostgresServerBinaries.locate(environment: ["PATH": "/nonexistent/bin"], debianRoot: "/nonexistent/postgresql")
        } throws: { error in
            let text = "\(error)"
            return text.contains("apt-get install postgresql") && text.contains("BAYAN_PG_BINDIR") && text.contains("/nonexistent/bin")
        }
    }

    @Test func explicitFolderWins() throws {
        let found = try PostgresServerBinaries.locate(environment: ["PATH": ""])
        let chosen = try PostgresServerBinaries.locate(environment: ["BAYAN_PG_BINDIR": found.directory.path, "PATH": ""], debianRoot: "/nonexistent")
        #expect(chosen.directory == found.directory)
        #expect(chosen.initdb.lastPathComponent == "initdb")
    }
}
