#include "graph_session.h"

#include "background_priority.h"

namespace tapgraphs {

using taprun::RunEvent;
using taprun::RunSession;

// Lives on the reader thread: owns the child process and fills the data sets.
class SessionReader : public QObject {
    Q_OBJECT
  public:
    explicit SessionReader(std::shared_ptr<SessionData> data) : data_(std::move(data)) {}

    void start(const taprun::RunOptions& options) {
        lowerThisThreadsPriority(); // parsing waits for the UI, not the reverse
        run_ = new RunSession(this);
        connect(run_, &RunSession::event, this, [this](const RunEvent& e) {
            data_->handle(e);
            // Every host of a --remote run sends the same formats: the
            // first record stands for all.
            if (e.kind == RunEvent::Formats && !formatsSeen_) {
                formatsSeen_ = true;
                emit formatsArrived(formatsFromRecord(e.object));
            }
            else if (e.kind == RunEvent::Started)
                emit started();
            else if (e.kind == RunEvent::Diag || e.kind == RunEvent::Text)
                emit message(e.text);
            else if (e.kind == RunEvent::Stopped)
                stopped_ = e;
        });
        connect(run_, &RunSession::stderrLine, this, &SessionReader::message);
        connect(run_, &RunSession::failedToStart, this, [this](const QString& why) {
            emit finished(tr("could not start tstap: %1").arg(why));
        });
        connect(run_, &RunSession::finished, this, [this](int code, bool crashed) {
            QString summary =
                stopped_.kind == RunEvent::Stopped
                    ? tr("stopped (%1), %2 records").arg(stopped_.reason).arg(data_->records())
                    : tr("tstap exited with %1")
                          .arg(crashed ? tr("a crash") : QString::number(code));
            emit finished(summary);
        });
        run_->start(options);
    }
    void stop() {
        if (run_) run_->stop();
    }

  signals:
    void formatsArrived(const QVector<tapgraphs::PrintfFormat>& formats);
    void started();
    void message(const QString& text);
    void finished(const QString& summary);

  private:
    std::shared_ptr<SessionData> data_;
    RunSession* run_ = nullptr;
    RunEvent stopped_;
    bool formatsSeen_ = false;
};

GraphSession::GraphSession(const GraphSet& set, QObject* parent)
    : QObject(parent), data_(std::make_shared<SessionData>(set)),
      reader_(new SessionReader(data_)) {
    qRegisterMetaType<QVector<tapgraphs::PrintfFormat>>();
    reader_->moveToThread(&thread_);
    connect(reader_, &SessionReader::formatsArrived, this, &GraphSession::formatsArrived);
    connect(reader_, &SessionReader::started, this, &GraphSession::started);
    connect(reader_, &SessionReader::message, this, &GraphSession::message);
    connect(reader_, &SessionReader::finished, this, [this](const QString& summary) {
        running_ = false;
        emit finished(summary);
    });
    thread_.setObjectName("graph session reader");
    thread_.start();
}

GraphSession::~GraphSession() {
    // The reader's RunSession stops the child and waits for it when deleted.
    QMetaObject::invokeMethod(
        reader_, [r = reader_] { delete r; }, Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
}

void GraphSession::start(const taprun::RunOptions& options) {
    running_ = true;
    QMetaObject::invokeMethod(reader_, [r = reader_, options] { r->start(options); });
}

void GraphSession::stop() {
    QMetaObject::invokeMethod(reader_, [r = reader_] { r->stop(); });
}

} // namespace tapgraphs

#include "graph_session.moc"
