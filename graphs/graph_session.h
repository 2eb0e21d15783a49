// One script run feeding a graph set: `tstap --json` (runclient/) on a
// reader thread of its own, so parsing the JSON lines and filling the data
// sets never blocks the UI; the UI hears of the few records that change
// what it shows (formats, started, stopped, diagnostics).
#pragma once

#include "session_data.h"

#include "run_session.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace tapgraphs {

class SessionReader;

class GraphSession : public QObject {
    Q_OBJECT
  public:
    explicit GraphSession(const GraphSet& set, QObject* parent = nullptr);
    ~GraphSession() override; // stops the script (SIGINT) and waits for the reader

    std::shared_ptr<SessionData> data() const { return data_; }
    void start(const taprun::RunOptions& options);
    void stop();
    bool running() const { return running_; }

  signals:
    void formatsArrived(const QVector<tapgraphs::PrintfFormat>& formats);
    void started();
    void message(const QString& text); // diagnostics and stderr, as a person reads them
    void finished(const QString& summary);

  private:
    std::shared_ptr<SessionData> data_;
    QThread thread_;
    SessionReader* reader_;
    bool running_ = false;
};

} // namespace tapgraphs
