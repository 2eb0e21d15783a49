// The syntax files generated for other editors, checked by the editors'
// own engines on the bundled examples: KSyntaxHighlighting's
// kate-syntax-highlighter (Debian's libkf5syntaxhighlighting-tools) with
// systemtap.xml, Neovim with stp.vim; the TextMate grammar's JSON and
// regular expressions. Each part is skipped, saying why, without its tool.
#include "../support/test_files.h"
#include "language_words.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString syntaxDir() {
    return qEnvironmentVariable("TAPSTUDIO_SYNTAX_DIR");
}

QStringList examples() {
    QDir dir(QString(TAPSTUDIO_SOURCE_DIR) + "/resources/examples");
    QStringList out;
    for (const QString& name : dir.entryList({"*.stp"}, QDir::Files, QDir::Name))
        out << dir.filePath(name);
    return out;
}

// kate-syntax-highlighter --syntax-trace format prints each source line,
// then a line of '|' marks and, on as many lines as they need, the names of
// the formats starting at those columns (each in reverse video: ESC[7m NAME).
// Returns each source line with its formats in column order.
QVector<QPair<QString, QStringList>> parseTrace(const QByteArray& output) {
    QVector<QPair<QString, QStringList>> lines;
    QVector<QPair<int, QString>> names; // of the last source line, by column
    auto finish = [&] {
        std::stable_sort(names.begin(), names.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [col, name] : names)
            lines.last().second << name;
        names.clear();
    };
    for (const QByteArray& raw : output.split('\n')) {
        QString line = QString::fromUtf8(raw);
        // The visible text, and the names with the columns they start at.
        QString plain;
        bool inName = false;
        for (int i = 0; i < line.size(); ++i) {
            if (line[i] == '\x1b') {
                int end = i + 1;
                while (end < line.size() && !line[end].isLetter())
                    ++end;
                inName = line.mid(i, end - i + 1) == "\x1b[7m";
                if (inName) names.append({int(plain.size()), QString()});
                i = end;
                continue;
            }
            if (inName) names.last().second += line[i];
            plain += line[i];
        }
        if (line.contains("\x1b[7m") ||
            (!plain.trimmed().isEmpty() && plain.trimmed().remove('|').trimmed().isEmpty()))
            continue; // names or marks
        if (!lines.isEmpty()) finish();
        names.clear();
        lines.append({plain, {}});
    }
    if (!lines.isEmpty()) finish();
    for (auto& [source, formats] : lines)
        for (QString& f : formats)
            f = f.trimmed();
    return lines;
}

} // namespace

class TestSyntaxFiles : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void kateHighlightsTheExamples();
    void vimHighlightsAnExample();
    void textMateGrammarIsValid();
};

void TestSyntaxFiles::initTestCase() {
    QVERIFY2(QFileInfo::exists(syntaxDir() + "/systemtap.xml"), qPrintable(syntaxDir()));
    QVERIFY(!examples().isEmpty());
}

void TestSyntaxFiles::kateHighlightsTheExamples() {
    QString tool = QStandardPaths::findExecutable("kate-syntax-highlighter");
    if (tool.isEmpty())
        QSKIP("kate-syntax-highlighter is not installed (Debian package "
              "libkf5syntaxhighlighting-tools)");
    // The definition is found where users install theirs.
    QTemporaryDir data;
    QVERIFY(QDir().mkpath(data.filePath("org.kde.syntax-highlighting/syntax")));
    QVERIFY(QFile::copy(syntaxDir() + "/systemtap.xml",
                        data.filePath("org.kde.syntax-highlighting/syntax/systemtap.xml")));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", data.path());

    QSet<QString> seen;
    for (const QString& example : examples()) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(tool, {"-s", "SystemTap", "-f", "ansi", "--syntax-trace", "format", example});
        QVERIFY(p.waitForFinished(30000));
        QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0 && err.isEmpty(), qPrintable(example + ": " + err));
        auto lines = parseTrace(p.readAllStandardOutput());
        QVERIFY2(lines.size() > 3, qPrintable(example));
        for (auto [source, formats] : lines) {
            for (const QString& f : formats)
                seen.insert(f);
            QString text = source.trimmed();
            if (source.startsWith(' ') && formats.value(0) == "Normal Text")
                formats.removeFirst(); // the indentation
            // Each line's first token, as the compiler sees it.
            if (text.startsWith("probe ") || text.startsWith("global ") ||
                text.startsWith("function "))
                QVERIFY2(formats.value(0) == "Keyword",
                         qPrintable(example + ": " + source + " -> " + formats.join(',')));
            else if (text.startsWith("#") || text.startsWith("//"))
                QVERIFY2(formats == QStringList{"Comment"},
                         qPrintable(example + ": " + source + " -> " + formats.join(',')));
            else if (text.startsWith("foreach ") || text.startsWith("if ") ||
                     text.startsWith("if("))
                QVERIFY2(formats.value(0) == "Control Flow",
                         qPrintable(example + ": " + source + " -> " + formats.join(',')));
            else if (text.startsWith("printf(") || text.startsWith("println("))
                QVERIFY2(formats.value(0) == "Builtin",
                         qPrintable(example + ": " + source + " -> " + formats.join(',')));
        }
    }
    for (const char* f : {"Keyword", "Control Flow", "Builtin", "String", "Format", "Comment",
                          "Number", "Target Variable", "At Operator"})
        QVERIFY2(seen.contains(f), qPrintable(QString(f) + " never used; used: " +
                                              QStringList(seen.values()).join(',')));
}

void TestSyntaxFiles::vimHighlightsAnExample() {
    QString nvim = QStandardPaths::findExecutable("nvim");
    if (nvim.isEmpty()) QSKIP("nvim is not installed (Debian package neovim)");
    QTemporaryDir rtp;
    QVERIFY(QDir().mkpath(rtp.filePath("syntax")));
    QVERIFY(QFile::copy(syntaxDir() + "/stp.vim", rtp.filePath("syntax/stp.vim")));
    QTemporaryDir dir;
    QString script = dir.filePath("s.stp");
    QVERIFY(testsupport::writeFile(
        script, "global hist # counts\n"
                "probe kernel.trace(\"sched:sched_switch\") { hist <<< $prev->pid }\n"
                "probe end { if (@count(hist)) printf(\"%d\\n\", 0x10) }\n"));
    // (line, column) -> the syntax group Neovim gives it, 1-based.
    const QVector<std::tuple<int, int, QString>> expected = {
        {1, 1, "stpDeclaration"}, {1, 13, "stpComment"}, {2, 20, "stpString"},
        {2, 53, "stpTargetVar"},  {3, 13, "stpControl"}, {3, 17, "stpAtOperator"},
        {3, 31, "stpBuiltin"},    {3, 39, "stpFormat"},  {3, 46, "stpNumber"},
    };
    QString query;
    for (const auto& [line, col, group] : expected)
        query += QString("synIDattr(synID(%1,%2,1),'name'),").arg(line).arg(col);
    QString report = dir.filePath("groups.txt");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* xdg : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"})
        env.insert(xdg, dir.filePath("xdg"));
    p.setProcessEnvironment(env);
    p.start(nvim, {"--headless", "--clean", "-n", "--cmd", "set rtp^=" + rtp.path(), "-c",
                   "syntax on", "-c", "set filetype=stp", "-c",
                   "call writefile([" + query + "], '" + report + "')", "-c", "qall!", script});
    QVERIFY(p.waitForFinished(30000));
    QFile r(report);
    QVERIFY2(r.open(QIODevice::ReadOnly), qPrintable(QString::fromUtf8(p.readAllStandardError())));
    QStringList groups = QString::fromUtf8(r.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(groups.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(groups[i], std::get<2>(expected[i]));
}

void TestSyntaxFiles::textMateGrammarIsValid() {
    QFile f(syntaxDir() + "/systemtap.tmLanguage.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonParseError error;
    QJsonObject grammar = QJsonDocument::fromJson(f.readAll(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(grammar["scopeName"].toString(), QString("source.systemtap"));
    int checked = 0;
    std::function<void(const QJsonArray&)> check = [&](const QJsonArray& patterns) {
        for (const QJsonValue& v : patterns) {
            QJsonObject p = v.toObject();
            for (const char* key : {"match", "begin", "end"}) {
                if (!p.contains(key)) continue;
                QRegularExpression re(p[key].toString());
                QVERIFY2(re.isValid(), qPrintable(p[key].toString() + ": " + re.errorString()));
                ++checked;
            }
            check(p["patterns"].toArray());
        }
    };
    check(grammar["patterns"].toArray());
    QVERIFY(checked > 10);
    // Every keyword of the compiler is in the grammar.
    QString text = QString::fromUtf8(QJsonDocument(grammar).toJson());
    for (const tap::KeywordSpelling& k : tap::keywordSpellings())
        QVERIFY2(text.contains(QString::fromUtf8(k.text.data(), int(k.text.size()))),
                 k.text.data());
}

QTEST_GUILESS_MAIN(TestSyntaxFiles)
#include "test_syntax_files.moc"
