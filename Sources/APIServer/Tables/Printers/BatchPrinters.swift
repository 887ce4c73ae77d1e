import Foundation
import KubeCore

/// batch printers: Job and CronJob (upstream `printJob`, `printCronJob`, v1.32 columns).
enum BatchPrinters {
    static let job = TablePrinter.fields([
        .name,
        PrinterColumns.text("Status", "The job's state: Complete, Failed, Running, Suspended…"),
        PrinterColumns.text("Completions", "Succeeded pods out of the completions asked for."),
        PrinterColumns.text("Duration", "How long the job ran, or has been running."),
        .age,
        PrinterColumns.containers,
        PrinterColumns.images,
        PrinterColumns.selector(),
    ]) { job, object, now in
        let spec = job["spec"]
        let status = job["status"]
        let succeeded = status["succeeded"].integer
        let completions: String
        if let wanted = spec["completions"].int {
            completions = "\(succeeded)/\(wanted)"
        } else if let parallelism = spec["parallelism"].int, parallelism > 1 {
            completions = "\(succeeded)/1 of \(parallelism)"
        } else {
            completions = "\(succeeded)/1"
        }

        var duration = ""
        if let started = status["startTime"].date {
            let finished = status["completionTime"].date ?? now
            duration = Age.human(finished.timeIntervalSince(started))
        }

        let conditions = status["conditions"].items
        func holds(_ type: String) -> Bool {
            conditions.first { $0["type"].text == type }?["status"].text == "True"
        }
        let state: String
        if holds("Complete") {
            state = "Complete"
        } else if holds("Failed") {
            state = "Failed"
        } else if job["metadata", "deletionTimestamp"].exists {
            state = "Terminating"
        } else if holds("Suspended") {
            state = "Suspended"
        } else if holds("FailureTarget") {
            state = "FailureTarget"
        } else {
            state = "Running"
        }

        let containers = PrintFormat.containers(spec["template", "spec"])
        return [
            .string(object.name), .string(state), .string(completions), .string(duration),
            .string(Age.of(object, now: now)),
            .string(containers.names), .string(containers.images),
            .string(PrintFormat.labelSelector(spec["selector"])),
        ]
    }

    static let cronJob = TablePrinter.fields([
        .name,
        PrinterColumns.text("Schedule", "The cron schedule."),
        PrinterColumns.text("Timezone", "The time zone the schedule is read in."),
        PrinterColumns.boolean("Suspend", "Whether new runs are held back."),
        PrinterColumns.integer("Active", "Number of jobs running now."),
        PrinterColumns.text("Last Schedule", "Time since a job was last scheduled."),
        .age,
        PrinterColumns.containers,
        PrinterColumns.images,
        PrinterColumns.selector("Label query selecting the pods of the created jobs."),
    ]) { cronJob, object, now in
        let spec = cronJob["spec"]
        let lastSchedule = cronJob["status", "lastScheduleTime"].exists
            ? PrintFormat.since(cronJob["status", "lastScheduleTime"], now: now) : "<none>"
        let jobSpec = spec["jobTemplate", "spec"]
        let containers = PrintFormat.containers(jobSpec["template", "spec"])
        return [
            .string(object.name),
            .string(spec["schedule"].text),
            .string(spec["timeZone"].string ?? "<none>"),
            .string(PrintFormat.boolPointer(spec["suspend"])),
            .integer(Int64(cronJob["status", "active"].count)),
            .string(lastSchedule),
            .string(Age.of(object, now: now)),
            .string(containers.names), .string(containers.images),
            .string(PrintFormat.labelSelector(jobSpec["selector"])),
        ]
    }
}
