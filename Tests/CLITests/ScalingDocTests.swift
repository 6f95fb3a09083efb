import Foundation
import Imaging
import XCTest

/// docs/scaling.md's examples, run as written: GNU parallel over SSH (a private sshd on
/// localhost) and the Slurm array script (its tasks run with Slurm's variables set), then a
/// re-run that must change nothing, and a lost render that a re-run makes again.
final class ScalingDocTests: CLITestCase {
    private var keys: URL!

    override func tearDownWithError() throws {
        if let keys {
            if let text = try? String(contentsOf: keys.appendingPathComponent("sshd.pid"), encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGTERM)
            }
            try? FileManager.default.removeItem(at: keys)
        }
        try super.tearDownWithError()
    }

    /// The fenced block after the `<!-- tested: ... -->` line containing `marker`.
    private func block(_ marker: String) throws -> String {
        let text = try String(contentsOf: AtelierBinary.repoRoot.appendingPathComponent("docs/scaling.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("<!-- tested:") && $0.contains(marker) }, marker)
        let open = try XCTUnwrap(lines[start...].firstIndex { $0.hasPrefix("```") })
        let close = try XCTUnwrap(lines[(open + 1)...].firstIndex { $0.hasPrefix("```") })
        return lines[(open + 1)..<close].joined(separator: "\n")
    }

    /// Runs `script` with bash in the test's folder, `atelier` on PATH, no standard input; a
    /// run longer than `timeout` seconds is terminated.
    @discardableResult
    private func bash(_ script: String, environment extra: [String: String] = [:], timeout: TimeInterval = 600) throws -> AtelierBinary.Result {
        try AtelierBinary.run(["-c", script], in: folder, home: home, environment: extra,
                              executable: URL(fileURLWithPath: "/bin/bash"), timeout: timeout)
    }

    /// Starts sshd on a free local port with a fresh host key, accepting a fresh client key;
    /// returns the ssh command that logs in with it.
    private func startSSHD() throws -> String {
        keys = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-sshd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        let made = try bash("""
            set -e; cd '\(keys.path)'
            ssh-keygen -q -t ed25519 -N '' -f host_key; ssh-keygen -q -t ed25519 -N '' -f client_key
            cp client_key.pub authorized_keys; chmod 600 authorized_keys
            [ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
            """)
        XCTAssertEqual(made.status, 0, made.stderr)
        let port = 20_000 + Int(getpid() % 20_000)
        // sshd puts itself in the background (not a child of this process) and writes its pid.
        let started = try bash("""
            /usr/sbin/sshd -p \(port) -h '\(keys.appendingPathComponent("host_key").path)' \
              -o AuthorizedKeysFile='\(keys.appendingPathComponent("authorized_keys").path)' \
              -o PidFile='\(keys.appendingPathComponent("sshd.pid").path)' -o StrictModes=no -o UsePAM=no \
              -o ListenAddress=127.0.0.1 -o PermitRootLogin=prohibit-password
            """, timeout: 30)
        XCTAssertEqual(started.status, 0, started.stderr)
        let ssh = "ssh -p \(port) -i \(keys.appendingPathComponent("client_key").path) -o StrictHostKeyChecking=no "
            + "-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10"
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if try bash("\(ssh) -n localhost true", timeout: 15).status == 0 { return ssh }
            usleep(200_000)
        }
        XCTFail("sshd did not accept the key on port \(port)")
        return ssh
    }

    private func makeFolder() throws {
        let photos = folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for name in ["bridge.jpg", "chicago.png", "portrait.jpg", "face.jpg"] {
            try FileManager.default.copyItem(atPath: images.appendingPathComponent("content/\(name)").path,
                                             toPath: photos.appendingPathComponent(name).path)
        }
        try FileManager.default.copyItem(atPath: picasso, toPath: folder.appendingPathComponent("style.jpg").path)
    }

    /// Every file under renders/ (hidden ones included) with its bytes.
    private func renders(_ name: String = "renders") throws -> [String: Data] {
        let url = folder.appendingPathComponent(name)
        var all: [String: Data] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            all[file] = try Data(contentsOf: url.appendingPathComponent(file))
        }
        return all
    }

    private let expected = ["bridge.png", "bridge.png.json", "chicago.png", "chicago.png.json",
                            "face.png", "face.png.json", "portrait.png", "portrait.png.json"]

    func testTheParallelExampleSplitsTheFolderOverSSHAndReRunsChangeNothing() throws {
        try makeFolder()
        let ssh = try startSSHD()
        try "2/localhost\n".write(to: folder.appendingPathComponent("hosts.txt"), atomically: true, encoding: .utf8)
        let command = try block("this block over SSH")
        XCTAssertTrue(command.contains("--sshloginfile hosts.txt"), command)
        let first = try bash(command, environment: ["PARALLEL_SSH": ssh])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        let rendered = try renders()
        XCTAssertEqual(rendered.keys.sorted(), expected)
        let closing = first.stdout.split(separator: "\n").filter { $0.contains("photos (part ") }
        XCTAssertEqual(closing.count, 8, first.stdout)
        XCTAssertEqual(closing.filter { $0.contains(" 0 skipped, 0 failed") }.count, 8, first.stdout)

        // The same command again: nothing rendered, every byte as it was.
        let again = try bash(command, environment: ["PARALLEL_SSH": ssh])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stdout.contains("wrote "), again.stdout)
        XCTAssertEqual(try renders(), rendered)

        // A render lost with a killed job's temporary file beside it: the re-run makes that one
        // again, the same bytes, and sweeps the temporary.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("renders/face.png"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("renders/face.png.json"))
        var deadPID: pid_t = 4_000_000
        while kill(deadPID, 0) == 0 || errno != ESRCH { deadPID -= 1 }
        try Data("half".utf8).write(to: folder.appendingPathComponent("renders/.face.png.\(deadPID)-1h\(TemporaryFiles.hostTag).tmp"))
        let repaired = try bash(command, environment: ["PARALLEL_SSH": ssh])
        XCTAssertEqual(repaired.status, 0, repaired.stderr)
        XCTAssertEqual(repaired.stdout.components(separatedBy: "wrote ").count - 1, 1, repaired.stdout)
        XCTAssertEqual(try renders(), rendered)
    }

    func testTheSlurmArrayScriptMakesTheSameRendersAsOneRun() throws {
        try makeFolder()
        let script = try block("SLURM_ARRAY_TASK_ID=1..8")
        XCTAssertTrue(script.contains("#SBATCH --array=1-8"), script)
        try script.write(to: folder.appendingPathComponent("render.sbatch"), atomically: true, encoding: .utf8)
        let tasks = try bash("""
            for k in 1 2 3 4 5 6 7 8; do SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=8 bash render.sbatch > task-$k.log 2>&1 & done
            status=0; for job in $(jobs -p); do wait $job || status=1; done; exit $status
            """)
        XCTAssertEqual(tasks.status, 0, tasks.stderr)
        let split = try renders()
        XCTAssertEqual(split.keys.sorted(), expected)
        let whole = try bash("atelier render photos -o whole -s style.jpg --size 512 --memory 3G")
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let one = try renders("whole")
        for name in expected where name.hasSuffix(".png") { XCTAssertEqual(split[name], one[name], name) }
    }
}
