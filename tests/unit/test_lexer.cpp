// Pass 1a: the lexer. Token classes, maximal munch, numbers (64-bit edges),
// strings and their escapes, $name/@name/$$vars, embedded code, comments,
// locations, and script-argument pasting ($1 @1 $# @#). Expected behaviour
// checked against stap 4.8 (`stap -p1`).
#include "ast_printer.h"
#include "lexer.h"
#include "parser.h"

#include <QtTest>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace tap;

namespace {

// Token texts point into the source manager and the lexer's pasted texts,
// so both live as long as the tokens.
struct Lexed {
    SourceManager sm;
    DiagnosticSink diags;
    std::unique_ptr<Lexer> lexer;
    std::vector<Token> tokens; // without the final Eof
    Token eof;
};

std::unique_ptr<Lexed> lex(const std::string& text, const std::vector<std::string>* args = nullptr,
                           bool skipping = false) {
    auto r = std::make_unique<Lexed>();
    FileId id = r->sm.addFile("t.stp", text);
    r->lexer = std::make_unique<Lexer>(r->sm, id, r->diags, args);
    r->lexer->setSkipping(skipping);
    for (int guard = 0; guard < 10000; ++guard) {
        Token t = r->lexer->next();
        if (t.kind == Tok::Eof) {
            r->eof = t;
            return r;
        }
        r->tokens.push_back(t);
    }
    qFatal("lexer did not reach the end of its input");
}

const char* kindName(Tok k) {
    switch (k) {
    case Tok::Eof: return "eof";
    case Tok::Ident: return "id";
    case Tok::Number: return "num";
    case Tok::String: return "str";
    case Tok::Op: return "op";
    case Tok::Embedded: return "emb";
    }
    return "?";
}

// "id:foo op:<<< num:1 str:a\\n" — kind and text of every token.
QString render(const Lexed& l) {
    QStringList out;
    for (const Token& t : l.tokens)
        out << QString("%1:%2").arg(kindName(t.kind), QString::fromStdString(std::string(t.text)));
    return out.join(' ');
}

QString texts(const Lexed& l) {
    QStringList out;
    for (const Token& t : l.tokens)
        out << QString::fromStdString(std::string(t.text));
    return out.join(' ');
}

QString errors(const Lexed& l) {
    QStringList out;
    for (const Diagnostic& d : l.diags.all())
        out << QString("%1:%2: %3 [%4]")
                   .arg(d.loc.line)
                   .arg(d.loc.col)
                   .arg(QString::fromStdString(d.message), QString::fromStdString(d.subject));
    return out.join('\n');
}

QString loc(const Token& t) { return QString("%1:%2").arg(t.loc.line).arg(t.loc.col); }

} // namespace

class LexerTest : public QObject {
    Q_OBJECT
private slots:
    void keywords_data();
    void keywords();
    void notKeywords_data();
    void notKeywords();
    void identifiers_data();
    void identifiers();
    void everyOperator_data();
    void everyOperator();
    void maximalMunch_data();
    void maximalMunch();
    void numberTokens();
    void numberLiterals_data();
    void numberLiterals();
    void numbersThroughTheParser_data();
    void numbersThroughTheParser();
    void stringRawText();
    void stringEscapes_data();
    void stringEscapes();
    void stringGluing();
    void unterminatedString();
    void comments();
    void spaceBefore();
    void embeddedCode();
    void unterminatedEmbedded();
    void locations();
    void scriptArgumentsDollar();
    void scriptArgumentsAt();
    void scriptArgumentCount();
    void scriptArgumentsOutOfRange_data();
    void scriptArgumentsOutOfRange();
    void scriptArgumentsOutOfRangeWhileSkipping();
    void scriptArgumentRecursionIsBounded();
    void describeTokens();
};

// ---------------------------------------------------------------- identifiers

void LexerTest::keywords_data() {
    QTest::addColumn<QString>("word");
    QTest::addColumn<int>("kw");
    const std::pair<const char*, Kw> all[] = {
        {"probe", Kw::Probe},     {"global", Kw::Global},     {"private", Kw::Private},
        {"function", Kw::Function}, {"if", Kw::If},           {"else", Kw::Else},
        {"for", Kw::For},         {"foreach", Kw::Foreach},   {"in", Kw::In},
        {"limit", Kw::Limit},     {"return", Kw::Return},     {"delete", Kw::Delete},
        {"while", Kw::While},     {"break", Kw::Break},       {"continue", Kw::Continue},
        {"next", Kw::Next},       {"try", Kw::Try},           {"catch", Kw::Catch},
        {"string", Kw::String},   {"long", Kw::Long}};
    for (auto& [w, k] : all)
        QTest::newRow(w) << QString(w) << int(k);
}

void LexerTest::keywords() {
    QFETCH(QString, word);
    QFETCH(int, kw);
    auto l = lex(word.toStdString());
    QCOMPARE(l->tokens.size(), size_t(1));
    const Token& t = l->tokens[0];
    QCOMPARE(t.kind, Tok::Ident);
    QCOMPARE(int(t.kw), kw);
    QVERIFY(t.is(Kw(kw)));
    QVERIFY(!t.isName());
    QCOMPARE(int(keywordOf(word.toStdString())), kw);
}

void LexerTest::notKeywords_data() {
    QTest::addColumn<QString>("word");
    for (const char* w : {"probes", "If", "PROBE", "foreach_", "_in", "in2", "nextp", "str", "longer",
                          "globals", "$probe", "@global", "functions", "elsewhere"})
        QTest::newRow(w) << QString(w);
}

void LexerTest::notKeywords() {
    QFETCH(QString, word);
    auto l = lex(word.toStdString());
    QCOMPARE(l->tokens.size(), size_t(1));
    QCOMPARE(l->tokens[0].kind, Tok::Ident);
    QCOMPARE(l->tokens[0].kw, Kw::None);
    QCOMPARE(keywordOf(word.toStdString()), Kw::None);
}

void LexerTest::identifiers_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("plainName"); // of the first token
    QTest::newRow("plain") << "foo" << "id:foo" << true;
    QTest::newRow("underscore digits") << "_a1_2" << "id:_a1_2" << true;
    QTest::newRow("dollar inside") << "a$b" << "id:a$b" << true;
    QTest::newRow("trailing dollar") << "x$ y$$" << "id:x$ id:y$$" << true;
    QTest::newRow("digit starts a number") << "1abc" << "num:1abc" << false;
    QTest::newRow("context variable") << "$name" << "id:$name" << false;
    QTest::newRow("pretty print suffix is one token") << "$var$ $var$$" << "id:$var$ id:$var$$" << false;
    QTest::newRow("$$vars family") << "$$vars $$locals $$parms $$return"
                                   << "id:$$vars id:$$locals id:$$parms id:$$return" << false;
    QTest::newRow("bare dollar") << "$" << "id:$" << false;
    QTest::newRow("@operator") << "@count(x)" << "id:@count op:( id:x op:)" << false;
    QTest::newRow("@ takes no $") << "@a$b" << "id:@a$b" << false;
    QTest::newRow("bare @") << "@" << "id:@" << false;
    QTest::newRow("@define") << "@define" << "id:@define" << false;
    QTest::newRow("stops at punctuation") << "a.b->c" << "id:a op:. id:b op:-> id:c" << true;
}

void LexerTest::identifiers() {
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(bool, plainName);
    auto l = lex(input.toStdString());
    QCOMPARE(render(*l), expected);
    QCOMPARE(l->tokens[0].isName(), plainName);
    QVERIFY(!l->diags.hasErrors());
}

// ----------------------------------------------------------------- operators

void LexerTest::everyOperator_data() {
    QTest::addColumn<QString>("spelling");
    QTest::addColumn<int>("op");
    const std::pair<const char*, Op> all[] = {
        {"<<<", Op::ShlStat}, {"<<=", Op::ShlAssign}, {">>=", Op::ShrAssign}, {">>>", Op::ShrShr},
        {"==", Op::Eq},       {"!=", Op::Ne},         {"<=", Op::Le},         {">=", Op::Ge},
        {"=~", Op::Match},    {"!~", Op::NotMatch},   {"+=", Op::AddAssign},  {"-=", Op::SubAssign},
        {"*=", Op::MulAssign}, {"/=", Op::DivAssign}, {"%=", Op::ModAssign},  {"&=", Op::AndAssign},
        {"^=", Op::XorAssign}, {"|=", Op::OrAssign},  {".=", Op::ConcatAssign},
        {"&&", Op::LogAnd},   {"||", Op::LogOr},      {"++", Op::Inc},        {"--", Op::Dec},
        {"->", Op::Arrow},    {"<<", Op::Shl},        {">>", Op::Shr},        {"%(", Op::PpOpen},
        {"%?", Op::PpThen},   {"%:", Op::PpElse},     {"%)", Op::PpClose},
        {"+", Op::Plus},      {"-", Op::Minus},       {"*", Op::Star},        {"/", Op::Slash},
        {"%", Op::Percent},   {"&", Op::Amp},         {"|", Op::Pipe},        {"^", Op::Caret},
        {"~", Op::Tilde},     {"!", Op::Bang},        {"<", Op::Lt},          {">", Op::Gt},
        {"=", Op::Assign},    {".", Op::Dot},         {",", Op::Comma},       {";", Op::Semi},
        {":", Op::Colon},     {"?", Op::Question},    {"(", Op::LParen},      {")", Op::RParen},
        {"[", Op::LBracket},  {"]", Op::RBracket},    {"{", Op::LBrace},      {"}", Op::RBrace}};
    for (auto& [s, o] : all)
        QTest::newRow(s) << QString(s) << int(o);
}

void LexerTest::everyOperator() {
    QFETCH(QString, spelling);
    QFETCH(int, op);
    const std::string s = spelling.toStdString();
    auto l = lex(s);
    QCOMPARE(l->tokens.size(), size_t(1));
    QCOMPARE(l->tokens[0].kind, Tok::Op);
    QCOMPARE(int(l->tokens[0].op), op);
    QCOMPARE(std::string(l->tokens[0].text), s);
    QCOMPARE(std::string(opText(Op(op))), s);
    // Between identifiers, without spaces, the operator is still one token.
    auto between = lex("a" + s + "b");
    QCOMPARE(render(*between), QString("id:a op:%1 id:b").arg(spelling));
}

void LexerTest::maximalMunch_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("tokens");
    QTest::newRow("<<<") << "s<<<1" << "s <<< 1";
    QTest::newRow("<<<=") << "a<<<=b" << "a <<< = b";
    QTest::newRow(">>>") << "a>>>b" << "a >>> b";
    QTest::newRow(">>>=") << "a>>>=b" << "a >>> = b";
    QTest::newRow("<<=") << "a<<=b" << "a <<= b";
    QTest::newRow(">>=") << "a>>=b" << "a >>= b";
    QTest::newRow("<< <") << "a<< <b" << "a << < b";
    QTest::newRow("<<<<") << "a<<<<b" << "a <<< < b";
    QTest::newRow(".=") << "s.=t" << "s .= t";
    QTest::newRow(". =") << "s. =t" << "s . = t";
    QTest::newRow("=~") << "s=~\"x\"" << "s =~ x";
    QTest::newRow("!~") << "s!~\"x\"" << "s !~ x";
    QTest::newRow("==~") << "a==~b" << "a == ~ b";
    QTest::newRow("!=~") << "a!=~b" << "a != ~ b";
    QTest::newRow("->") << "$p->f" << "$p -> f";
    QTest::newRow("-->") << "a-->b" << "a -- > b";
    QTest::newRow("---") << "a---b" << "a -- - b";
    QTest::newRow("+++") << "a+++b" << "a ++ + b";
    QTest::newRow("&&&") << "a&&&b" << "a && & b";
    QTest::newRow("|||") << "a|||b" << "a || | b";
    QTest::newRow("%( %? %: %)") << "%(a%?b%:c%)" << "%( a %? b %: c %)";
    QTest::newRow("% (") << "a% (b)" << "a % ( b )";
    QTest::newRow("%=") << "a%=b" << "a %= b";
    QTest::newRow("%%") << "a%%b" << "a % % b";
    QTest::newRow("=== ") << "a===b" << "a == = b";
    QTest::newRow("<=>") << "a<=>b" << "a <= > b";
    QTest::newRow("unknown char") << "a`b" << "a ` b";
}

void LexerTest::maximalMunch() {
    QFETCH(QString, input);
    QFETCH(QString, tokens);
    auto l = lex(input.toStdString());
    QCOMPARE(texts(*l), tokens);
    QVERIFY(!l->diags.hasErrors());
}

// ------------------------------------------------------------------- numbers

void LexerTest::numberTokens() {
    // A number token runs over every letter and digit; validity is checked later.
    auto l = lex("0x1F 017 123abc 0 9223372036854775808 1.5");
    QCOMPARE(render(*l), QString("num:0x1F num:017 num:123abc num:0 num:9223372036854775808 num:1 op:. num:5"));
}

void LexerTest::numberLiterals_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("value");
    QTest::newRow("zero") << "0" << true << qint64(0);
    QTest::newRow("decimal") << "1234" << true << qint64(1234);
    QTest::newRow("hex lower") << "0xff" << true << qint64(255);
    QTest::newRow("hex upper") << "0XAbC" << true << qint64(0xabc);
    QTest::newRow("octal") << "0777" << true << qint64(511);
    QTest::newRow("octal zero") << "00" << true << qint64(0);
    QTest::newRow("INT64_MAX") << "9223372036854775807" << true << std::numeric_limits<qint64>::max();
    QTest::newRow("2^63 wraps to INT64_MIN") << "9223372036854775808" << true
                                             << std::numeric_limits<qint64>::min();
    QTest::newRow("2^64-1 wraps to -1") << "18446744073709551615" << true << qint64(-1);
    QTest::newRow("2^64 out of range") << "18446744073709551616" << false << qint64(0);
    QTest::newRow("huge") << "99999999999999999999999" << false << qint64(0);
    QTest::newRow("hex 2^64-1") << "0xffffffffffffffff" << true << qint64(-1);
    QTest::newRow("hex 2^63") << "0x8000000000000000" << true << std::numeric_limits<qint64>::min();
    QTest::newRow("hex 2^64") << "0x10000000000000000" << false << qint64(0);
    QTest::newRow("octal 2^64-1") << "01777777777777777777777" << true << qint64(-1);
    QTest::newRow("octal 2^64") << "02000000000000000000000" << false << qint64(0);
    QTest::newRow("8 is not octal") << "08" << false << qint64(0);
    QTest::newRow("bare 0x") << "0x" << false << qint64(0);
    QTest::newRow("bad hex digit") << "0xg" << false << qint64(0);
    QTest::newRow("suffix") << "10L" << false << qint64(0);
    QTest::newRow("exponent") << "1e5" << false << qint64(0);
    QTest::newRow("letters") << "123abc" << false << qint64(0);
    QTest::newRow("empty") << "" << false << qint64(0);
}

void LexerTest::numberLiterals() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, value);
    int64_t v = 12345;
    QCOMPARE(parseNumberLiteral(text.toStdString(), v), valid);
    if (valid)
        QCOMPARE(qint64(v), value);
}

// How the parser turns number tokens into values and errors (stap -p1).
void LexerTest::numbersThroughTheParser_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("printed"); // "" = parse error
    QTest::newRow("max") << "9223372036854775807" << "9223372036854775807";
    QTest::newRow("2^63") << "9223372036854775808" << "-9223372036854775808";
    QTest::newRow("2^64-1") << "18446744073709551615" << "-1";
    QTest::newRow("negated min") << "-9223372036854775808" << "-(-9223372036854775808)";
    QTest::newRow("2^64") << "18446744073709551616" << "";
    QTest::newRow("08") << "08" << "";
    QTest::newRow("hex") << "0x10" << "16";
    QTest::newRow("octal") << "010" << "8";
}

void LexerTest::numbersThroughTheParser() {
    QFETCH(QString, expr);
    QFETCH(QString, printed);
    SourceManager sm;
    DiagnosticSink diags;
    TargetInfo target;
    MacroTable macros;
    ParseOptions po;
    po.target = &target;
    po.libraryMacros = &macros;
    FileId id = sm.addFile("t.stp", "probe begin { x = " + expr.toStdString() + " }");
    auto ast = parseFile(sm, id, diags, po);
    if (printed.isEmpty()) {
        QCOMPARE(diags.errorCount(), size_t(1));
        QCOMPARE(QString::fromStdString(diags.all()[0].message), QString("number invalid or out of range"));
        QCOMPARE(diags.all()[0].loc.col, 19u);
        return;
    }
    QVERIFY(!diags.hasErrors());
    auto* stmt = static_cast<ExprStmt*>(ast->probes.at(0)->body->body.at(0));
    auto* assign = static_cast<AssignExpr*>(stmt->expr);
    std::ostringstream o;
    printExpr(o, assign->value);
    QCOMPARE(QString::fromStdString(o.str()), printed);
}

// ------------------------------------------------------------------- strings

void LexerTest::stringRawText() {
    auto l = lex(R"("" "a b" "x\"y" "back\\slash" "tab\there")");
    QCOMPARE(l->tokens.size(), size_t(5));
    for (const Token& t : l->tokens)
        QCOMPARE(t.kind, Tok::String);
    // The token text is the raw content between the quotes, escapes undecoded.
    QCOMPARE(std::string(l->tokens[0].text), std::string(""));
    QCOMPARE(std::string(l->tokens[1].text), std::string("a b"));
    QCOMPARE(std::string(l->tokens[2].text), std::string(R"(x\"y)"));
    QCOMPARE(std::string(l->tokens[3].text), std::string(R"(back\\slash)"));
    QCOMPARE(std::string(l->tokens[4].text), std::string(R"(tab\there)"));
    QVERIFY(!l->diags.hasErrors());
}

void LexerTest::stringEscapes_data() {
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("plain") << "abc" << QByteArray("abc");
    QTest::newRow("\\n \\t \\r") << R"(a\nb\tc\rd)" << QByteArray("a\nb\tc\rd");
    QTest::newRow("\\a \\b \\f \\v") << R"(\a\b\f\v)" << QByteArray("\a\b\f\v");
    QTest::newRow("backslash") << R"(\\)" << QByteArray("\\");
    QTest::newRow("quote") << R"(\")" << QByteArray("\"");
    QTest::newRow("apostrophe, question") << R"(\'\?)" << QByteArray("'?");
    QTest::newRow("hex") << R"(\x41\x4a\x4A)" << QByteArray("AJJ");
    QTest::newRow("hex takes two digits") << R"(\x414)" << QByteArray("A4");
    QTest::newRow("hex one digit") << R"(\x7z)" << QByteArray("\x07z");
    QTest::newRow("bare \\x kept") << R"(\xg)" << QByteArray("\\xg");
    QTest::newRow("octal") << R"(\101\60)" << QByteArray("A0");
    QTest::newRow("octal takes three digits") << R"(\1011)" << QByteArray("A1");
    QTest::newRow("octal stops at 8") << R"(\18)" << QByteArray("\x01" "8");
    QTest::newRow("nul") << R"(a\0b)" << QByteArray("a\0b", 3);
    // stap's lexer drops the backslash of an unknown escape (stap -p3: "\q" -> "q").
    QTest::newRow("unknown escape") << R"(\q\%)" << QByteArray("q%");
    QTest::newRow("printf %% untouched") << R"(100%%)" << QByteArray("100%%");
}

void LexerTest::stringEscapes() {
    QFETCH(QString, raw);
    QFETCH(QByteArray, decoded);
    std::string out;
    QVERIFY(decodeStringLiteral(raw.toStdString(), out));
    QCOMPARE(QByteArray(out.data(), int(out.size())), decoded);
}

void LexerTest::stringGluing() {
    // Adjacent literals are one string (the parser glues the lexer's tokens).
    SourceManager sm;
    DiagnosticSink diags;
    TargetInfo target;
    MacroTable macros;
    ParseOptions po;
    po.target = &target;
    po.libraryMacros = &macros;
    FileId id = sm.addFile("t.stp", "probe begin { x = \"a\\n\" \"b\"\n  \"c\" }");
    auto ast = parseFile(sm, id, diags, po);
    QVERIFY(!diags.hasErrors());
    auto* stmt = static_cast<ExprStmt*>(ast->probes.at(0)->body->body.at(0));
    auto* s = static_cast<StringExpr*>(static_cast<AssignExpr*>(stmt->expr)->value);
    QCOMPARE(s->kind, ExprKind::String);
    QCOMPARE(s->value, std::string("a\nbc"));
    QCOMPARE(s->raw, std::string("a\\nbc"));
    QCOMPARE(s->loc.col, 19u); // at the first literal
}

void LexerTest::unterminatedString() {
    auto l = lex("x = \"abc\ny = 1");
    QCOMPARE(l->diags.errorCount(), size_t(1));
    // Located at the opening quote; lexing resumes on the next line.
    QCOMPARE(errors(*l), QString("1:5: Could not find matching closing quote [unknown '\"']"));
    QCOMPARE(texts(*l), QString("x = abc y = 1"));
    auto atEnd = lex("\"abc");
    QCOMPARE(errors(*atEnd), QString("1:1: Could not find matching closing quote [unknown '\"']"));
    // An escaped newline does not end the string.
    auto continued = lex("\"a\\\nb\"");
    QVERIFY(!continued->diags.hasErrors());
    QCOMPARE(continued->tokens.size(), size_t(1));
}

// ---------------------------------------------------- comments, space, code

void LexerTest::comments() {
    auto l = lex("a # hash\nb // slashes\nc /* block\n spanning */ d /**/e/*x*//*y*/f");
    QCOMPARE(texts(*l), QString("a b c d e f"));
    QCOMPARE(loc(l->tokens[3]), QString("4:14"));
    // An operator next to a comment opener is still lexed correctly.
    auto ops = lex("a/ /b*/ c");
    QCOMPARE(texts(*ops), QString("a / / b * / c"));
    // An unterminated block comment runs to the end of the file (stap accepts it).
    auto open = lex("a /* never closed\n b");
    QCOMPARE(texts(*open), QString("a"));
    QVERIFY(!open->diags.hasErrors());
    // '#' inside a string is not a comment.
    auto str = lex("\"#x\" y");
    QCOMPARE(render(*str), QString("str:#x id:y"));
}

void LexerTest::spaceBefore() {
    auto l = lex("a b/**/c#x\nd\te(f");
    QCOMPARE(l->tokens.size(), size_t(7));
    const bool expected[] = {false, true, true, true, true, false, false};
    for (size_t i = 0; i < 7; ++i)
        QVERIFY2(l->tokens[i].spaceBefore == expected[i], std::string(l->tokens[i].text).c_str());
    QVERIFY(l->eof.spaceBefore);
}

void LexerTest::embeddedCode() {
    auto l = lex("%{ #include <x.h>\n int a = 5 % 3; %} probe %{%}");
    QCOMPARE(l->tokens.size(), size_t(3));
    QCOMPARE(l->tokens[0].kind, Tok::Embedded);
    QCOMPARE(std::string(l->tokens[0].text), std::string(" #include <x.h>\n int a = 5 % 3; "));
    QCOMPARE(l->tokens[1].kw, Kw::Probe);
    QCOMPARE(loc(l->tokens[1]), QString("2:20"));
    QCOMPARE(l->tokens[2].kind, Tok::Embedded);
    QCOMPARE(std::string(l->tokens[2].text), std::string());
    QVERIFY(!l->diags.hasErrors());
}

void LexerTest::unterminatedEmbedded() {
    auto l = lex("a %{ code");
    QCOMPARE(l->diags.errorCount(), size_t(1));
    QCOMPARE(errors(*l),
             QString("1:3: Could not find matching '%}' to close embedded function block [embedded-code]"));
}

void LexerTest::locations() {
    auto l = lex("probe begin {\n\tx = 1\n  y=\"s\" }\n");
    QStringList got;
    for (const Token& t : l->tokens)
        got << QString::fromStdString(std::string(t.text)) + "@" + loc(t);
    // Columns count bytes; a tab is one column.
    QCOMPARE(got.join(' '), QString("probe@1:1 begin@1:7 {@1:13 x@2:2 =@2:4 1@2:6 y@3:3 =@3:4 s@3:5 }@3:9"));
    QCOMPARE(loc(l->eof), QString("4:1"));
    for (const Token& t : l->tokens)
        QCOMPARE(t.loc.file, FileId(0));
}

// --------------------------------------------------------- script arguments

void LexerTest::scriptArgumentsDollar() {
    // $N pastes the argument's text: it is lexed as tokens, all located at $N.
    std::vector<std::string> args = {"a + 0x10", "\"s\"", "-5"};
    auto l = lex("x = $1 * $2\n  y = $3", &args);
    QCOMPARE(render(*l), QString("id:x op:= id:a op:+ num:0x10 op:* str:s id:y op:= op:- num:5"));
    QCOMPARE(loc(l->tokens[2]), QString("1:5"));
    QCOMPARE(loc(l->tokens[3]), QString("1:5"));
    QCOMPARE(loc(l->tokens[4]), QString("1:5"));
    QCOMPARE(loc(l->tokens[6]), QString("1:10"));
    QCOMPARE(loc(l->tokens[9]), QString("2:7"));
    QCOMPARE(loc(l->tokens[10]), QString("2:7"));
    // Text after the pasted argument continues at the right place.
    QCOMPARE(loc(l->tokens[7]), QString("2:3"));
    QVERIFY(!l->diags.hasErrors());
    // A digit run is one index: $10 is the tenth argument.
    std::vector<std::string> ten = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "ten"};
    QCOMPARE(render(*lex("$10 $1", &ten)), QString("id:ten num:1"));
}

void LexerTest::scriptArgumentsAt() {
    // @N is the argument as one string literal, whatever it contains.
    std::vector<std::string> args = {"a b", "say \"hi\" \\n", "$1"};
    auto l = lex("@1 @2 @3", &args);
    QCOMPARE(l->tokens.size(), size_t(3));
    for (const Token& t : l->tokens)
        QCOMPARE(t.kind, Tok::String);
    QCOMPARE(std::string(l->tokens[0].text), std::string("a b"));
    std::string decoded;
    decodeStringLiteral(l->tokens[1].text, decoded);
    QCOMPARE(decoded, std::string("say \"hi\" \\n"));
    decodeStringLiteral(l->tokens[2].text, decoded);
    QCOMPARE(decoded, std::string("$1")); // not pasted again
    QCOMPARE(loc(l->tokens[1]), QString("1:4"));
}

void LexerTest::scriptArgumentCount() {
    std::vector<std::string> args = {"x", "y", "z"};
    auto l = lex("$# @#", &args);
    QCOMPARE(render(*l), QString("num:3 str:3"));
    auto none = lex("$# @#");
    QCOMPARE(render(*none), QString("num:0 str:0"));
    QVERIFY(!none->diags.hasErrors());
}

void LexerTest::scriptArgumentsOutOfRange_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("argc");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("replacement"); // the token the lexer substitutes
    QTest::newRow("$1 of none") << "x = $1" << 0
                                << "1:5: command line argument out of range [1-0] [unknown '$1']" << "num:0";
    QTest::newRow("@1 of none") << "x = @1" << 0
                                << "1:5: command line argument out of range [1-0] [unknown '@1']" << "str:";
    QTest::newRow("$3 of two") << "\n  $3" << 2
                               << "2:3: command line argument out of range [1-2] [unknown '$3']" << "num:0";
    QTest::newRow("$0") << "$0" << 1 << "1:1: command line argument out of range [1-1] [unknown '$0']"
                        << "num:0";
}

void LexerTest::scriptArgumentsOutOfRange() {
    QFETCH(QString, input);
    QFETCH(int, argc);
    QFETCH(QString, error);
    QFETCH(QString, replacement);
    std::vector<std::string> args(size_t(argc), "1");
    auto l = lex(input.toStdString(), &args);
    QCOMPARE(errors(*l), error);
    QCOMPARE(l->diags.all()[0].phase, Phase::Parse);
    QVERIFY(render(*l).endsWith(replacement));
}

void LexerTest::scriptArgumentsOutOfRangeWhileSkipping() {
    // Inside an untaken %( %) branch an out-of-range $N is not an error.
    auto l = lex("$5 @7", nullptr, true);
    QVERIFY(!l->diags.hasErrors());
    QCOMPARE(l->tokens.size(), size_t(2));
}

void LexerTest::scriptArgumentRecursionIsBounded() {
    // An argument's text is not searched for more arguments, as in stap:
    // "$1 $1" pasting itself would double at each level.
    for (const char* text : {"$1", "x $1 $1", "@1", "$#"}) {
        std::vector<std::string> args = {text};
        auto l = lex("x = $1", &args);
        QVERIFY(l->diags.hasErrors());
        QVERIFY(errors(*l).contains("invalid nested substitution of command line arguments"));
    }
}

void LexerTest::describeTokens() {
    auto l = lex("foo probe @count $x 12 \"s t\" <<< %{ c %}");
    QStringList got;
    for (const Token& t : l->tokens)
        got << QString::fromStdString(describe(t));
    // As stap prints tokens: a keyword without its text, @name as an operator.
    QCOMPARE(got, QStringList({"identifier 'foo'", "keyword", "operator '@count'", "identifier '$x'",
                               "number '12'", "string 's t'", "operator '<<<'", "embedded-code"}));
    QCOMPARE(QString::fromStdString(describe(l->eof)), QString("end of input"));
}

QTEST_GUILESS_MAIN(LexerTest)
#include "test_lexer.moc"
