#include "heat_map_panel.h"

#include "background_priority.h"
#include "filters.h"
#include "heat_map_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace tapgraphs {

namespace {
constexpr int kMostCellRows = 1000;
}

HeatMapPanel::HeatMapPanel(const ChartSpec& spec, const DataSetSpec& dataSpec,
                           std::function<std::shared_ptr<DataSet>()> dataSet, QWidget* parent)
    : QWidget(parent), spec_(spec), dataSpec_(dataSpec), dataSet_(std::move(dataSet)),
      view_(new HeatMapView), status_(new QLabel), cellRows_(new QTableWidget) {
    setObjectName("HeatMapPanel");
    view_->setLogColors(spec_.logColors);
    if (!fromHistograms() && !spec_.values.isEmpty()) view_->setUnit(spec_.values.first());
    auto* colors = new QComboBox;
    colors->addItems({tr("Linear colours"), tr("Log colours")});
    colors->setCurrentIndex(spec_.logColors ? 1 : 0);
    colors->setToolTip(tr("Log colours show rare outliers next to the busiest cells"));
    connect(colors, &QComboBox::currentIndexChanged, this, [this](int i) {
        spec_.logColors = i == 1;
        view_->setLogColors(spec_.logColors);
    });
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(QString("<b>%1</b>").arg(spec_.title.toHtmlEscaped())), 1);
    bar->addWidget(colors);
    cellRows_->setObjectName("HeatMapCellRows");
    cellRows_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    cellRows_->verticalHeader()->hide();
    cellRows_->hide(); // until a cell is clicked
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(view_);
    split->addWidget(cellRows_);
    split->setStretchFactor(0, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(status_);
    connect(view_, &HeatMapView::cellClicked, this, &HeatMapPanel::showCell);
    connect(&watcher_, &QFutureWatcher<HeatData>::finished, this, [this] {
        last_ = watcher_.result();
        view_->setGrid(last_.grid);
        status_->setText(tr("%1 rows, the last %2 s in columns of %3 ms")
                             .arg(last_.rows.rowCount())
                             .arg(spec_.windowSeconds)
                             .arg(spec_.bucketMs > 0 ? spec_.bucketMs : 1000));
        emit drawn();
    });
}

HeatMapPanel::~HeatMapPanel() {
    watcher_.waitForFinished();
}

void HeatMapPanel::refresh() {
    if (watcher_.isRunning()) return; // the last refresh is still computing: skip this one
    std::shared_ptr<DataSet> ds = dataSet_();
    if (!ds) return;
    HeatScale scale{spec_.yLinear, spec_.yBucket > 0 ? spec_.yBucket : 1};
    const qint64 columnNs = (spec_.bucketMs > 0 ? spec_.bucketMs : 1000) * 1000000;
    const qint64 windowNs = qint64(spec_.windowSeconds * 1e9);
    const bool histograms = fromHistograms();
    const QString latency = spec_.values.value(0);
    const QVector<Filter> filters = dataSpec_.filters;
    watcher_.setFuture(QtConcurrent::run(chartPool(), [=] {
        lowerThisThreadsPriority();
        const qint64 to = ds->lastTime() + 1, from = std::max<qint64>(0, to - windowNs);
        HeatData d;
        d.rows = applyFilters(ds->snapshot(from), filters);
        int column = histograms ? 0 : std::max(0, d.rows.columnIndex(latency));
        d.grid = histograms ? histogramGrid(d.rows, scale, columnNs, from, to)
                            : latencyGrid(d.rows, column, scale, columnNs, from, to);
        return d;
    }));
}

void HeatMapPanel::showCell(int column, int row) {
    const Table& t = last_.rows;
    QVector<int> rows;
    if (fromHistograms()) { // the bucket's rows of each print in the column
        const qint64 from = last_.grid.columnStart(column), to = from + last_.grid.columnNs;
        for (int r = 0; r < t.rowCount(); ++r)
            if (t.time[r] >= from && t.time[r] < to &&
                last_.grid.scale.bucketOf(t.number(0, r)) == last_.grid.firstBucket + row)
                rows.push_back(r);
    } else {
        rows = rowsInCell(t, std::max(0, t.columnIndex(spec_.values.value(0))), last_.grid, column,
                          row);
    }
    cellRows_->clear();
    QStringList headers{tr("time (s)")};
    for (const Column& c : t.columns)
        headers << c.name;
    cellRows_->setColumnCount(int(headers.size()));
    cellRows_->setHorizontalHeaderLabels(headers);
    const int shown = std::min(int(rows.size()), kMostCellRows);
    cellRows_->setRowCount(shown);
    for (int i = 0; i < shown; ++i) {
        int r = rows[rows.size() - 1 - i]; // newest first
        cellRows_->setItem(i, 0,
                           new QTableWidgetItem(QString::number(double(t.time[r]) / 1e9, 'f', 6)));
        for (int c = 0; c < t.columns.size(); ++c)
            cellRows_->setItem(i, c + 1, new QTableWidgetItem(t.text(c, r)));
    }
    cellRows_->setToolTip(view_->toolTipFor(column, row));
    cellRows_->show();
}

} // namespace tapgraphs
