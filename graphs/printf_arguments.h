// The argument expressions of the printf a format comes from, read from the
// script's text: `printf("%s(%d) = %d\n", i, p, top[i, p])` on line 12 →
// "i", "p", "top[i, p]". The wizard names columns after them where the
// format's own text has no word before a directive.
#pragma once

#include <QStringList>

namespace tapgraphs {

// The value arguments (after the format) of the first printf call that
// starts on `line` (1-based); empty when there is none.
QStringList printfArguments(const QString& scriptText, int line);

// A column name for an argument expression: its leading identifier
// ("top[i, p]" → "top", "@count(x)" → "count", "$return" → "return"), or "".
QString nameForArgument(const QString& expression);

} // namespace tapgraphs
