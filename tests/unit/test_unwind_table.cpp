// dwarf::unwindTable against binutils' reading of the same .eh_frame
// (readelf --debug-dump=frames-interp): at every address where readelf
// lists a rule, the table must give the same CFA and saved rbp, or Unknown
// where the rule is one the BPF unwinder cannot follow.
#include "dwarf/unwind_table.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using tap::dwarf::UnwindRow;

namespace {

const UnwindRow* ruleAt(const std::vector<UnwindRow>& rows, uint64_t pc) {
    auto after = std::upper_bound(rows.begin(), rows.end(), pc, [](uint64_t a, const UnwindRow& r) { return a < r.pc; });
    return after == rows.begin() ? nullptr : &*std::prev(after);
}

} // namespace

class TestUnwindTable : public QObject {
    Q_OBJECT

private slots:
    void matchesReadelf_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("-O2 program") << QString(TAP_UPROG_O2);
        QTest::newRow("-O0 program") << QString(TAP_UPROG_O0);
        QTest::newRow("libc") << QString("/lib/x86_64-linux-gnu/libc.so.6");
    }

    void matchesReadelf() {
        QFETCH(QString, path);
        if (!QFile::exists(path))
            QSKIP("no such file here");
        std::string error;
        std::vector<UnwindRow> rows = tap::dwarf::unwindTable(path.toStdString(), error).rows;
        QVERIFY2(!rows.empty(), error.c_str());
        QVERIFY(std::is_sorted(rows.begin(), rows.end(), [](const UnwindRow& a, const UnwindRow& b) { return a.pc < b.pc; }));

        QProcess readelf;
        readelf.start("readelf", {"--debug-dump=frames-interp", path});
        // (It exits with 1 for a stripped file, having printed the frames.)
        QByteArray out = readelf.waitForFinished(60000) ? readelf.readAllStandardOutput() : QByteArray();
        if (!out.contains("FDE"))
            QSKIP("readelf (binutils) is not available");
        const QStringList lines = QString::fromUtf8(out).split('\n');
        QStringList columns;
        bool inFde = false; // a CIE's rows are its initial state at address 0
        int checked = 0, unknown = 0;
        static const QRegularExpression cfaRule("^(rsp|rbp)\\+(\\d+)$");
        for (const QString& line : lines) {
            QStringList f = line.simplified().split(' ', Qt::SkipEmptyParts);
            if (f.size() >= 4 && (f[3] == "FDE" || f[3] == "CIE" || f[3].startsWith("ZERO")))
                inFde = f[3] == "FDE";
            if (f.size() >= 2 && f[0] == "LOC" && f[1] == "CFA") {
                columns = f;
                continue;
            }
            bool isAddress = false;
            uint64_t pc = f.isEmpty() ? 0 : f[0].toULongLong(&isAddress, 16);
            if (!inFde || !isAddress || f.size() != columns.size() || f[0].size() != 16)
                continue;
            const UnwindRow* row = ruleAt(rows, pc);
            QVERIFY2(row, qPrintable(QString("no rule at 0x%1").arg(pc, 0, 16)));
            QString cfa = f[1], ra = f[columns.indexOf("ra")];
            int rbpColumn = columns.indexOf("rbp");
            QString rbp = rbpColumn > 0 ? f[rbpColumn] : "u";
            QRegularExpressionMatch m = cfaRule.match(cfa);
            bool followable = m.hasMatch() && ra == "c-8" && (rbp == "u" || rbp == "s" || rbp.startsWith("c-"));
            const QString where = QString("%1 at 0x%2: readelf says CFA %3 rbp %4 ra %5")
                                      .arg(path).arg(pc, 0, 16).arg(cfa, rbp, ra);
            if (!followable) {
                QVERIFY2(row->cfaRegister == UnwindRow::Unknown, qPrintable(where));
                ++unknown;
                continue;
            }
            QCOMPARE(int(row->cfaRegister), m.captured(1) == "rsp" ? int(UnwindRow::StackPointer)
                                                                    : int(UnwindRow::FramePointer));
            QVERIFY2(row->cfaOffset == m.captured(2).toInt(), qPrintable(where));
            if (rbp.startsWith("c-")) {
                QVERIFY2(row->rbpRule == UnwindRow::SavedAtCfa && row->rbpOffset == rbp.mid(1).toInt(), qPrintable(where));
            } else {
                // readelf's "u" is a register no rule mentions: callee-saved, so unchanged (libdw's ABI rule).
                QVERIFY2(row->rbpRule != UnwindRow::SavedAtCfa, qPrintable(where));
            }
            ++checked;
        }
        QVERIFY2(checked > 10, qPrintable(QString("only %1 rules compared").arg(checked)));
        qInfo("%s: %d rules agree with readelf, %d not followable (Unknown)", qPrintable(path), checked, unknown);
    }
};

QTEST_GUILESS_MAIN(TestUnwindTable)
#include "test_unwind_table.moc"
