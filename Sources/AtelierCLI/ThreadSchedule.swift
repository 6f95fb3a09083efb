import Foundation

/// Where each thread of this process spent its time, from Linux's /proc/self/task/*/schedstat:
/// nanoseconds on a core and nanoseconds ready but waiting for one (`atelier bench --layers`
/// splits each stage's wall time with it). Empty where /proc has no such files.
struct ThreadSchedule {
    /// Per thread id: its name, ns running, ns runnable but waiting for a core.
    var threads: [Int: (name: String, run: Double, wait: Double)] = [:]

    /// The counters now.
    static func now() -> ThreadSchedule {
        var schedule = ThreadSchedule()
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return schedule }
        for task in tasks {
            guard let id = Int(task),
                  let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/schedstat", encoding: .utf8) else { continue }
            let fields = stat.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard fields.count >= 2 else { continue }
            let name = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            schedule.threads[id] = (name, fields[0], fields[1])
        }
        return schedule
    }

    /// What changed since `earlier`: ms running on the calling (main) thread, ms running on
    /// every other thread of the process (the pool's workers; idle threads add nothing), ms
    /// waiting for a core (all threads).
    func since(_ earlier: ThreadSchedule, mainThread: Int) -> (main: Double, workers: Double, queued: Double) {
        var main = 0.0, workers = 0.0, queued = 0.0
        for (id, t) in threads {
            let before = earlier.threads[id] ?? (t.name, 0, 0)
            if id == mainThread { main += (t.run - before.run) / 1e6 } else { workers += (t.run - before.run) / 1e6 }
            queued += (t.wait - before.wait) / 1e6
        }
        return (main, workers, queued)
    }

    /// This thread's id (the kernel's, as /proc/self/task names it).
    static var currentThreadID: Int {
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
        return Int(link.split(separator: "/").last ?? "") ?? -1
    }
}
