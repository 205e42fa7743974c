public import Foundation

/// How the source (outlet) name of a file is derived from its path.
public enum SourceRule: Sendable, Equatable, CustomStringConvertible {
    /// The first folder below the input root (a file at the root takes the root folder's name). The default.
    case firstFolder
    /// The folder holding the file.
    case parentFolder
    /// The name of the input root itself, for every file under it.
    case inputName
    /// The first capture group of a regular expression over the path relative to the input root; the root's
    /// name when it does not match.
    case pattern(String)

    /// Parses `first-folder`, `parent-folder`, `input-name` or `regex:PATTERN`.
    public init?(argument: String) {
        switch argument {
        case "first-folder": self = .firstFolder
        case "parent-folder": self = .parentFolder
        case "input-name": self = .inputName
        default:
            guard argument.hasPrefix("regex:"), (try? Regex(String(argument.dropFirst(6)))) != nil else { return nil }
            self = .pattern(String(argument.dropFirst(6)))
        }
    }

    public var description: String {
        switch self {
        case .firstFolder: "first-folder"
        case .parentFolder: "parent-folder"
        case .inputName: "input-name"
        case .pattern(let pattern): "regex:\(pattern)"
        }
    }

    func source(relativeComponents: [String], rootName: String) -> String {
        switch self {
        case .firstFolder:
            return relativeComponents.count > 1 ? relativeComponents[0] : rootName
        case .parentFolder:
            return relativeComponents.count > 1 ? relativeComponents[relativeComponents.count - 2] : rootName
        case .inputName:
            return rootName
        case .pattern(let pattern):
            let path = relativeComponents.joined(separator: "/")
            guard let regex = try? Regex(pattern), let match = try? regex.firstMatch(in: path), match.output.count > 1,
                  let captured = match.output[1].substring, !captured.isEmpty else { return rootName }
            return String(captured)
        }
    }
}

/// One input file to read, and where it was found.
struct InputFile: Sendable {
    /// Where the file is, as the file system spells it (its bytes need not be UTF-8).
    var path: SystemPath
    /// Path relative to the input root (the name alone for a file given directly).
    var relativePath: String
    /// Size on disk when the walker saw it (for batching; the reader measures again).
    var byteSize: Int = 0
    var sourceName: String
}

/// Something in the input tree that cannot be read as a file: reported, never skipped silently.
struct InputProblem: Sendable {
    var relativePath: String
    var reason: String
}

/// Walks the inputs in a stable order: inputs as given, and inside a folder its entries sorted by name
/// (bytes), depth first. Names are read as bytes (`readdir`), so a name that is not UTF-8 is still opened;
/// it is recorded with ``PathText/display(_:)``. Symbolic links are followed; a folder already being walked (a loop) or already
/// walked through another link is not entered again. Only the current path of folders is held in memory,
/// plus the entries of the folder being read.
struct InputWalker {
    var sourceRule: SourceRule = .firstFolder

    /// Whether a name is an article file: `.txt` or `.txt.gz`, any case.
    static func isArticleName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".txt") || lower.hasSuffix(".txt.gz")
    }

    struct FileIdentity: Hashable { var device: UInt64; var inode: UInt64 }

    /// Calls `file` or `problem` for every entry, in order.
    func walk(_ inputs: [URL], file: (InputFile) throws -> Void, problem: (InputProblem) throws -> Void) throws {
        for input in inputs {
            let root = input.standardizedFileURL
            let rootPath = SystemPath(root.path)
            var info = stat()
            guard rootPath.withCString({ stat($0, &info) }) == 0 else {
                throw ExtractError.inputMissing(path: root.path, reason: String(cString: strerror(errno)))
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                var visited: [FileIdentity: String] = [:]
                try walkFolder(rootPath, components: [], rootName: root.lastPathComponent, visited: &visited, ancestors: [],
                               identity: FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), file: file, problem: problem)
            } else {
                // A file named directly is read whatever its name (and kind: the reader refuses what is not a file).
                let parent = root.deletingLastPathComponent().lastPathComponent
                try file(InputFile(path: rootPath, relativePath: root.lastPathComponent, byteSize: Int(info.st_size),
                                   sourceName: sourceRule.source(relativeComponents: [root.lastPathComponent], rootName: parent)))
            }
        }
    }

    /// One folder being walked: its sorted entries and how far the walk has got in them.
    private struct OpenFolder {
        var path: SystemPath
        var components: [String]
        var names: [[UInt8]]
        var next = 0
        var identity: FileIdentity
    }

    /// Walks a folder depth first with a stack of open folders, not recursion: a tree can be as deep as
    /// paths allow (about 2,000 levels of one-letter names), and a recursive walk overflowed the stack of a
    /// worker thread before that.
    private func walkFolder(
        _ root: SystemPath, components rootComponents: [String], rootName: String, visited: inout [FileIdentity: String],
        ancestors rootAncestors: Set<FileIdentity>, identity rootIdentity: FileIdentity,
        file: (InputFile) throws -> Void, problem: (InputProblem) throws -> Void
    ) throws {
        var stack: [OpenFolder] = []
        // The folders on the stack: a folder among them reached again is a loop.
        var ancestors = rootAncestors

        /// Lists a folder and pushes it, or reports why it cannot be listed.
        func enter(_ folder: SystemPath, components: [String], identity: FileIdentity) throws {
            let relative = components.joined(separator: "/")
            visited[identity] = relative.isEmpty ? "." : relative
            switch folder.folderEntries() {
            case .success(let entries):
                ancestors.insert(identity)
                stack.append(OpenFolder(path: folder, components: components,
                                        names: entries.sorted(by: { $0.lexicographicallyPrecedes($1) }), identity: identity))
            case .failure(let error):
                try problem(InputProblem(relativePath: relative.isEmpty ? "." : relative, reason: "cannot list the folder: \(error)"))
            }
        }

        try enter(root, components: rootComponents, identity: rootIdentity)
        while let top = stack.indices.last {
            guard stack[top].next < stack[top].names.count else {
                ancestors.remove(stack.removeLast().identity)
                continue
            }
            let nameBytes = stack[top].names[stack[top].next]
            stack[top].next += 1
            let folder = stack[top]
            let path = folder.path.appending(nameBytes)
            let name = PathText.display(nameBytes)
            let childComponents = folder.components + [name]
            let childRelative = childComponents.joined(separator: "/")
            var linkInfo = stat()
            guard path.withCString({ lstat($0, &linkInfo) }) == 0 else {
                try problem(InputProblem(relativePath: childRelative, reason: "cannot inspect: \(String(cString: strerror(errno)))"))
                continue
            }
            let isLink = linkInfo.st_mode & S_IFMT == S_IFLNK
            // Only a link needs a second look, at what it points to.
            var info = linkInfo
            if isLink, path.withCString({ stat($0, &info) }) != 0 {
                let code = errno
                let target = path.linkDestination().map(PathText.display) ?? "?"
                if code == ELOOP {
                    try problem(InputProblem(relativePath: childRelative, reason: "symbolic link loop (\(name) → \(target))"))
                } else {
                    // A dangling link could have been an article or a folder of them; one named like another kind
                    // of file (notes.md) could not, and is passed over like the file it pointed to would be.
                    let ext = (name as NSString).pathExtension.lowercased()
                    if Self.isArticleName(name) || ext.isEmpty || ext == "gz" {
                        try problem(InputProblem(relativePath: childRelative, reason: "broken symbolic link to \(target)"))
                    }
                }
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let child = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
                if ancestors.contains(child) {
                    try problem(InputProblem(relativePath: childRelative,
                                             reason: "symbolic link loop: leads back to \(visited[child] ?? "a folder above it")"))
                } else if let seen = visited[child] {
                    // Reached again through another link: its files were read once already, under that path.
                    try problem(InputProblem(relativePath: childRelative, reason: "folder already read as \(seen) (linked twice)"))
                } else {
                    try enter(path, components: childComponents, identity: child)
                }
            case S_IFREG:
                guard Self.isArticleName(name) else { continue }
                try file(InputFile(path: path, relativePath: childRelative, byteSize: Int(info.st_size),
                                   sourceName: sourceRule.source(relativeComponents: childComponents, rootName: rootName)))
            default:
                if Self.isArticleName(name) {
                    try problem(InputProblem(relativePath: childRelative, reason: DocumentReader.notRegularReason))
                }
            }
        }
    }
}

/// Reads a list of paths (one per line, as `find` prints them) and turns it into input files relative to
/// `root`, sorted for a stable order.
public enum FileList {
    public static func read(from handle: FileHandle) -> [String] {
        let data = handle.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(String.init).filter { !$0.isEmpty }
    }
}
