// tstap-language-server: what `tstap --language-server` runs (see
// app/tstap_main.cpp). Speaks LSP on stdin/stdout; logs go to stderr.
#include "catalogue_cache.h"
#include "language_server.h"
#include "stdio_channel.h"

#include <QCoreApplication>

#include <unistd.h>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    int at = int(args.indexOf("--tstap"));
    QString tstap = at >= 0 && at + 1 < args.size() ? args[at + 1] : QString("tstap");
    taplsp::LanguageServer server(
        [](const QByteArray& body) { taplsp::writeMessage(STDOUT_FILENO, body); }, tstap);
    server.setCacheFile(tapide::CatalogueCache::defaultPath());
    // `exit` decides the status; end of input without it is an error (1).
    bool exitRequested = false;
    QObject::connect(&server, &taplsp::LanguageServer::exitRequested, &app, [&exitRequested](int code) {
        exitRequested = true;
        QCoreApplication::exit(code);
    });
    taplsp::startReading(
        STDIN_FILENO, [&server](QByteArray body) { server.post(std::move(body)); },
        [&app, &exitRequested] {
            QMetaObject::invokeMethod(
                &app,
                [&exitRequested] {
                    if (!exitRequested)
                        QCoreApplication::exit(1);
                },
                Qt::QueuedConnection);
        });
    return app.exec();
}
