#include "stack_samples.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace tapgraphs {

QString valueText(double value) {
    return value == std::floor(value) && std::abs(value) < 1e15 ? QString::number(qint64(value))
                                                                : QString::number(value, 'f', 2);
}

FrameKind userFrameKind(const QString& module) {
    QString file = module.mid(module.lastIndexOf('/') + 1);
    return file.contains(".so") ? FrameKind::Library : FrameKind::User;
}

int FrameTable::intern(const Frame& frame) {
    QString key = frame.module + QChar(0x1f) + frame.name;
    auto it = ids_.constFind(key);
    if (it != ids_.constEnd()) return *it;
    frames_.push_back(frame);
    ids_.insert(key, int(frames_.size() - 1));
    return int(frames_.size() - 1);
}

QVector<int> mergedStack(const QJsonArray& args, const QJsonArray& recordStacks,
                         const QHash<int, bool>& userArgs, FrameTable& frames) {
    QVector<int> stack;
    for (int i = 0; i < args.size(); ++i)
        if (args[i].isString() && !userArgs.contains(i))
            stack.push_back(
                frames.intern({args[i].toString().trimmed(), QString(), FrameKind::User}));
    QVector<int> user, kernel; // innermost first, as they travel
    for (const QJsonValue& v : recordStacks) {
        QJsonObject stack = v.toObject();
        bool isUser = userArgs.value(stack.value("arg").toInt(), false);
        for (const QJsonValue& f : stack.value("frames").toArray()) {
            QJsonObject o = f.toObject();
            Frame frame{o.value("sym").toString(), o.value("mod").toString(), FrameKind::Kernel};
            if (isUser) frame.kind = userFrameKind(frame.module);
            (isUser ? user : kernel).push_back(frames.intern(frame));
        }
    }
    stack.reserve(stack.size() + user.size() + kernel.size());
    std::copy(user.rbegin(), user.rend(), std::back_inserter(stack));
    std::copy(kernel.rbegin(), kernel.rend(), std::back_inserter(stack));
    return stack;
}

} // namespace tapgraphs
