// printf format strings: parseFormat splits a format into literal text and
// directives (flags, width, precision, '*', conversion) — pass 2 checks the
// arguments with it and the runtimes format output with it. Accept/reject
// checked against stap 4.8 (`stap -p2 -e 'probe begin { printf("...") }'`).
#include "printf_format.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace tap;

namespace {

char convLetter(FormatPiece::Conv c) {
    switch (c) {
    case FormatPiece::Conv::Literal: return '?';
    case FormatPiece::Conv::Binary: return 'b';
    case FormatPiece::Conv::Char: return 'c';
    case FormatPiece::Conv::Signed: return 'd';
    case FormatPiece::Conv::Unsigned: return 'u';
    case FormatPiece::Conv::Octal: return 'o';
    case FormatPiece::Conv::HexLower: return 'x';
    case FormatPiece::Conv::HexUpper: return 'X';
    case FormatPiece::Conv::Pointer: return 'p';
    case FormatPiece::Conv::String: return 's';
    case FormatPiece::Conv::Memory: return 'm';
    case FormatPiece::Conv::MemoryHex: return 'M';
    }
    return '?';
}

// Pieces in a canonical form: 'text' for literals, %[flags][width][.prec]conv
// for directives (flags in the order - + space # 0; width/precision * or N).
QString render(const std::vector<FormatPiece>& pieces) {
    QStringList out;
    for (const FormatPiece& p : pieces) {
        if (p.conv == FormatPiece::Conv::Literal) {
            out << "'" + QString::fromStdString(p.text) + "'";
            continue;
        }
        QString s = "%";
        if (p.left) s += '-';
        if (p.plus) s += '+';
        if (p.space) s += '_'; // visible space
        if (p.alternate) s += '#';
        if (p.zero) s += '0';
        if (p.widthArg) s += '*';
        else if (p.width >= 0) s += QString::number(p.width);
        if (p.precisionArg) s += ".*";
        else if (p.precision >= 0) s += "." + QString::number(p.precision);
        s += convLetter(p.conv);
        out << s;
    }
    return out.join(' ');
}

} // namespace

class PrintfFormatTest : public QObject {
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void argumentTypes();
    void defaults();
    void reusesTheOutputVector();
};

void PrintfFormatTest::parses_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("pieces");
    // conversions
    QTest::newRow("plain text") << "hello world\n" << "'hello world\n'";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("%%") << "100%%" << "'100%'";
    QTest::newRow("%% between") << "a%%b%%" << "'a%b%'";
    QTest::newRow("%%%d") << "%%%d" << "'%' %d";
    QTest::newRow("d i") << "%d %i" << "%d ' ' %d";
    QTest::newRow("u o x X") << "%u%o%x%X" << "%u %o %x %X";
    QTest::newRow("b c p s m M") << "%b%c%p%s%m%M" << "%b %c %p %s %m %M";
    QTest::newRow("text around") << "pid=%d comm=%s\n" << "'pid=' %d ' comm=' %s '\n'";
    // flags
    QTest::newRow("-") << "%-d" << "%-d";
    QTest::newRow("+") << "%+d" << "%+d";
    QTest::newRow("space") << "% d" << "%_d";
    QTest::newRow("#") << "%#x" << "%#x";
    QTest::newRow("0") << "%0d" << "%0d";
    QTest::newRow("0 then width") << "%05d" << "%05d";
    QTest::newRow("- then width 05") << "%-05d" << "%-5d";
    QTest::newRow("# then width 0") << "%#0x" << "%#0x";
    QTest::newRow("00") << "%00d" << "%00d";
    // width and precision
    QTest::newRow("width") << "%10s" << "%10s";
    QTest::newRow("precision") << "%.3s" << "%.3s";
    QTest::newRow("width.precision") << "%10.2x" << "%10.2x";
    QTest::newRow("precision without digits") << "%.d" << "%d";
    QTest::newRow("zero precision") << "%0.0s" << "%0.0s";
    QTest::newRow("huge width is capped") << "%10000000000d" << "%1000000d";
    // '*'
    QTest::newRow("* width") << "%*d" << "%*d";
    QTest::newRow("* precision") << "%.*s" << "%.*s";
    QTest::newRow("* both") << "%*.*d" << "%*.*d";
    QTest::newRow("flag with *") << "%-*.*s" << "%-*.*s";
    QTest::newRow("0 with *") << "%0*d" << "%0*d";
    QTest::newRow("width with * precision") << "%5.*d" << "%5.*d";
    // binary sizes are widths
    QTest::newRow("%1b %2b %4b %8b") << "%1b%2b%4b%8b" << "%1b %2b %4b %8b";
    QTest::newRow("%5.3b") << "%5.3b" << "%5.3b";
    // l is accepted and ignored
    QTest::newRow("%ld %li %lu %lx %lX %lo") << "%ld%li%lu%lx%lX%lo" << "%d %d %u %x %X %o";
    QTest::newRow("%ls %lc %lb %lp %lm %lM") << "%ls%lc%lb%lp%lm%lM" << "%s %c %b %p %m %M";
    QTest::newRow("%-5.2ld") << "%-5.2ld" << "%-5.2d";
    // a conversion cut off with nothing in it vanishes (stap accepts "%l" with no argument)
    QTest::newRow("trailing %l") << "a%l" << "'a'";
    QTest::newRow("trailing %.") << "a%." << "'a'";
    QTest::newRow("trailing %.l") << "%.l" << "";
    // several flags: C's meaning (stap 4.8 rejects these; see the file header of printf_format.cpp)
}

void PrintfFormatTest::parses() {
    QFETCH(QString, format);
    QFETCH(QString, pieces);
    std::vector<FormatPiece> got;
    std::string error;
    QVERIFY2(parseFormat(format.toStdString(), got, error), error.c_str());
    QCOMPARE(render(got), pieces);
    QVERIFY(error.empty());
}

void PrintfFormatTest::rejects_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("error");
    const QString invalid = "invalid or missing conversion specifier";
    const QString trailing = "trailing incomplete print format conversion";
    // stap's reference list: %lld %hd %f %e %g %n
    for (const char* f : {"%lld", "%hd", "%f", "%e", "%g", "%n"})
        QTest::newRow(f) << QString(f) << invalid;
    QTest::newRow("%hhd") << "%hhd" << invalid;
    // stap's format parser takes one flag character.
    QTest::newRow("several flags") << "%-+ #0d" << invalid;
    QTest::newRow("+ and space") << "%+ d" << invalid;
    QTest::newRow("%jd") << "%jd" << invalid;
    QTest::newRow("%zd") << "%zd" << invalid;
    QTest::newRow("%Lf") << "%Lf" << invalid;
    QTest::newRow("%ll") << "%ll" << invalid;
    QTest::newRow("%q") << "%q" << invalid;
    QTest::newRow("%S") << "%S" << invalid;
    QTest::newRow("%D") << "%D" << invalid;
    QTest::newRow("lone %") << "%" << invalid;
    QTest::newRow("trailing %") << "abc%" << invalid;
    QTest::newRow("%5%") << "%5%" << invalid;
    QTest::newRow("%l%") << "%l%" << invalid;
    QTest::newRow("% %") << "% %" << invalid;
    QTest::newRow("positional") << "%1$d" << invalid;
    QTest::newRow("space inside") << "%5 d" << invalid;
    QTest::newRow("error after good ones") << "%d %s %y" << invalid;
    QTest::newRow("%*") << "%*" << trailing;
    QTest::newRow("%.*") << "%.*" << trailing;
    QTest::newRow("%5") << "%5" << trailing;
    QTest::newRow("%-") << "ab%-" << trailing;
    QTest::newRow("%5.") << "%5." << trailing;
    QTest::newRow("%.5") << "%.5" << trailing;
    QTest::newRow("%5l") << "%5l" << trailing;
}

void PrintfFormatTest::rejects() {
    QFETCH(QString, format);
    QFETCH(QString, error);
    std::vector<FormatPiece> got;
    std::string message;
    QVERIFY(!parseFormat(format.toStdString(), got, message));
    QCOMPARE(QString::fromStdString(message), error);
}

void PrintfFormatTest::argumentTypes() {
    std::vector<FormatPiece> pieces;
    std::string error;
    QVERIFY(parseFormat("%s %d %i %u %o %x %X %p %b %c %m %M", pieces, error));
    QStringList types;
    for (const FormatPiece& p : pieces)
        if (p.conv != FormatPiece::Conv::Literal)
            types << typeName(p.argType());
        else
            QCOMPARE(p.argType(), Type::Unknown); // literal text takes no argument
    // %m and %M take an address (a long), as in stap.
    QCOMPARE(types.join(' '), QString("string long long long long long long long long long long long"));
    // '*' takes a long before the value: the checker counts widthArg/precisionArg.
    QVERIFY(parseFormat("%*.*s", pieces, error));
    QCOMPARE(pieces.size(), size_t(1));
    QVERIFY(pieces[0].widthArg && pieces[0].precisionArg);
    QCOMPARE(pieces[0].argType(), Type::String);
}

void PrintfFormatTest::defaults() {
    std::vector<FormatPiece> pieces;
    std::string error;
    QVERIFY(parseFormat("%d", pieces, error));
    const FormatPiece& p = pieces.at(0);
    QCOMPARE(p.width, -1);
    QCOMPARE(p.precision, -1);
    QVERIFY(!p.left && !p.plus && !p.space && !p.alternate && !p.zero);
    QVERIFY(!p.widthArg && !p.precisionArg);
    QVERIFY(p.text.empty());
}

void PrintfFormatTest::reusesTheOutputVector() {
    std::vector<FormatPiece> pieces;
    std::string error;
    QVERIFY(parseFormat("%d %d %d", pieces, error));
    QCOMPARE(pieces.size(), size_t(5));
    QVERIFY(parseFormat("x", pieces, error));
    QCOMPARE(render(pieces), QString("'x'"));
}

QTEST_GUILESS_MAIN(PrintfFormatTest)
#include "test_printf_format.moc"
