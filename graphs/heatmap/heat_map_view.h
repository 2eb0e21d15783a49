// A latency heat map: time across, latency buckets up, each cell coloured
// by its count (white to dark red, linear or by the log of the count so
// that rare slow outliers still show). Hover a cell for its time range,
// latency range and count; click it to ask for its rows (cellClicked).
#pragma once

#include "heat_grid.h"

#include <QWidget>

namespace tapgraphs {

class HeatMapView : public QWidget {
    Q_OBJECT
  public:
    explicit HeatMapView(QWidget* parent = nullptr);
    void setGrid(const HeatGrid& grid);
    const HeatGrid& grid() const { return grid_; }
    void setLogColors(bool log);
    bool logColors() const { return logColors_; }
    void setUnit(const QString& unit); // of the latency axis, e.g. "µs"

    QColor colorOf(double count) const; // the fill of a cell with this count
    QRect cellRect(int column, int row) const;
    bool cellAt(const QPoint& pos, int* column, int* row) const;
    QString toolTipFor(int column, int row) const;

    QSize sizeHint() const override { return QSize(700, 320); }
    QSize minimumSizeHint() const override { return QSize(240, 120); }

  signals:
    void cellClicked(int column, int row);

  protected:
    void paintEvent(QPaintEvent*) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    bool event(QEvent* e) override;

  private:
    QRect plotArea() const;
    int leftMargin() const;
    HeatGrid grid_;
    bool logColors_ = false;
    QString unit_;
};

} // namespace tapgraphs
