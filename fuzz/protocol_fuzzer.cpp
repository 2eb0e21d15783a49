// libFuzzer target for the reader of tstap's --json stream that every
// perspective uses (runclient/run_protocol.cpp): the input is split into
// chunks where its first byte says, fed to RunProtocol::feed as a pipe
// delivers them, then flushed; every event's text goes through
// findLocation. printf lines are also read the general way (a JSON
// document) and must give the same record as the direct reader: a
// difference aborts, so libFuzzer keeps the input as a finding.
//
// Build and run: fuzz/run.sh --target protocol_fuzzer [SECONDS]
#include "run_protocol.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void compareWithDocument(const QByteArray& line, const taprun::RunEvent& direct) {
    // A leading blank takes the general way (the direct reader wants the
    // exact layout tstap writes).
    taprun::RunEvent general = taprun::RunProtocol::parseLine(" " + line);
    if (general.kind != taprun::RunEvent::Printf)
        return; // the direct reader is lenient where tstap never writes (an unknown escape)
    // Numbers as a JSON reader has them (doubles): the direct reader keeps
    // integers exact where a double cannot.
    bool same = general.formatId == direct.formatId && general.text == direct.text &&
                double(general.ts) == double(direct.ts) && general.args.size() == direct.args.size();
    for (qsizetype i = 0; same && i < direct.args.size(); ++i)
        same = direct.args[i].isString() ? general.args[i].toString() == direct.args[i].toString()
                                         : general.args[i].toDouble() == direct.args[i].toDouble();
    if (!same) {
        std::fprintf(stderr, "printf record read differently by the direct reader and as a JSON document:\n%s\n",
                     line.constData());
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    size_t chunk = size_t(data[0] % 64) + 1;
    QByteArray input(reinterpret_cast<const char*>(data) + 1, int(size - 1));
    taprun::RunProtocol protocol;
    QVector<taprun::RunEvent> events;
    for (int at = 0; at < input.size(); at += int(chunk))
        events += protocol.feed(input.mid(at, int(chunk)));
    events += protocol.flush();
    for (const taprun::RunEvent& e : events)
        taprun::findLocation(e.text);
    for (const QByteArray& line : input.split('\n')) {
        if (!line.startsWith(R"({"t":"printf",)"))
            continue;
        taprun::RunEvent direct = taprun::RunProtocol::parseLine(line);
        if (direct.kind == taprun::RunEvent::Printf)
            compareWithDocument(line, direct);
    }
    return 0;
}
