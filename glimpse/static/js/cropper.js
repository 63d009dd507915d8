// A crop by hand: drag to move the picture in its frame, pinch (or scroll, or the keyboard)
// to zoom, turn it a quarter at a time. The frame keeps the chosen shape; the picture always
// covers it. The result is what the server's crop takes: a clockwise turn of the upright
// picture (rotation: 0, 90, 180, 270) and a rectangle in fractions of the turned picture.
// Used by the composer (glimpse/static/js/composer.js) and the profile photo (avatar.js).
(function () {
  "use strict";

  var MAX_ZOOM = 5;
  var KEY_STEP = 12; // pixels of the frame an arrow key moves the picture (Shift: 4 times)
  var WHEEL_SCALE = 360; // pixels of wheel travel that zoom by a factor of e

  function turned(source, rotation) {
    return rotation % 180
      ? { width: source.height, height: source.width }
      : { width: source.width, height: source.height };
  }

  // The largest rectangle of ``ratio`` (width / height) in a picture of ``size``, in pixels.
  function fitted(size, ratio) {
    if (size.width / size.height > ratio) return { width: size.height * ratio, height: size.height };
    return { width: size.width, height: size.width / ratio };
  }

  function round6(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  // Size and place ``image`` (the whole upright picture, of ``source`` pixels) so that a
  // frame of ``frameWidth`` pixels across shows exactly ``crop`` of it.
  function place(image, frameWidth, source, crop) {
    var rotation = crop.rotation || 0;
    var size = turned(source, rotation);
    var scale = frameWidth / (crop.width * size.width);
    var width = source.width * scale;
    var height = source.height * scale;
    // Turning about the top-left corner moves the picture; bring its box back to (0, 0).
    var corner = { 0: [0, 0], 90: [-height, 0], 180: [-width, -height], 270: [0, -width] }[rotation];
    var tx = -corner[0] - crop.x * size.width * scale;
    var ty = -corner[1] - crop.y * size.height * scale;
    image.style.width = width + "px";
    image.style.height = height + "px";
    image.style.transformOrigin = "0 0";
    image.style.transform =
      "translate(" + tx.toFixed(2) + "px, " + ty.toFixed(2) + "px) rotate(" + rotation + "deg)";
  }

  // frame: the element that shows the crop (its size is set here); image: the picture in it.
  // options.onChange(crop) while it moves, options.onCommit(crop) when a gesture ends;
  // options.minSide: the fewest pixels of the picture a crop may keep across.
  function Cropper(frame, image, options) {
    this.frame = frame;
    this.image = image;
    this.options = options || {};
    this.source = { width: 1, height: 1 };
    this.rotation = 0;
    this.ratio = 1;
    this.zoom = 1;
    this.left = 0; // the crop's top-left corner, in pixels of the turned picture
    this.top = 0;
    this.frameWidth = 0;
    this.frameHeight = 0;
    this.pointers = {};
    this.gesture = null;
    this.enabled = true;
    this.bind();
  }

  Cropper.place = place;
  Cropper.turned = turned;

  Cropper.prototype.size = function () {
    return turned(this.source, this.rotation);
  };

  // The crop's size at the current zoom, in pixels of the turned picture.
  Cropper.prototype.box = function () {
    var largest = fitted(this.size(), this.ratio);
    return { width: largest.width / this.zoom, height: largest.height / this.zoom };
  };

  Cropper.prototype.maxZoom = function () {
    var largest = fitted(this.size(), this.ratio);
    var side = Math.min(largest.width, largest.height);
    return Math.max(1, Math.min(MAX_ZOOM, side / (this.options.minSide || 1)));
  };

  // Show ``crop`` (fractions of the turned picture, and its rotation) of a picture of
  // ``source`` pixels, in the shape ``ratio``; a crop of another shape is centred anew.
  Cropper.prototype.set = function (source, crop, ratio) {
    this.source = { width: source.width || 1, height: source.height || 1 };
    this.rotation = (crop && crop.rotation) || 0;
    this.ratio = ratio;
    var size = this.size();
    var largest = fitted(size, ratio);
    var shape = crop ? (crop.width * size.width) / (crop.height * size.height) : 0;
    if (crop && Math.abs(shape - ratio) / ratio < 0.01 && crop.width > 0) {
      this.zoom = largest.width / (crop.width * size.width);
      this.left = crop.x * size.width;
      this.top = crop.y * size.height;
    } else {
      this.zoom = 1;
      this.left = (size.width - largest.width) / 2;
      this.top = (size.height - largest.height) / 2;
    }
    this.clamp();
    this.render();
  };

  // Change the shape: the crop stays centred where it was, at the widest zoom.
  Cropper.prototype.setRatio = function (ratio) {
    var box = this.box();
    var centre = { x: this.left + box.width / 2, y: this.top + box.height / 2 };
    this.ratio = ratio;
    this.zoom = 1;
    box = this.box();
    this.left = centre.x - box.width / 2;
    this.top = centre.y - box.height / 2;
    this.clamp();
    this.render();
    this.changed(true);
  };

  // Turn a quarter clockwise; ``ratio`` is the shape afterwards (an "original" turns too).
  Cropper.prototype.rotate = function (ratio) {
    var size = this.size();
    var box = this.box();
    var centre = { x: this.left + box.width / 2, y: this.top + box.height / 2 };
    // A point (u, v) of the old picture is at (height - v, u) once turned clockwise.
    var turnedCentre = { x: size.height - centre.y, y: centre.x };
    this.rotation = (this.rotation + 90) % 360;
    var zoom = this.zoom;
    this.ratio = ratio;
    this.zoom = Math.min(zoom, this.maxZoom());
    box = this.box();
    this.left = turnedCentre.x - box.width / 2;
    this.top = turnedCentre.y - box.height / 2;
    this.clamp();
    this.render();
    this.changed(true);
  };

  // Zoom to ``zoom``, keeping the point of the frame at ``focus`` (pixels) still.
  Cropper.prototype.zoomTo = function (zoom, focus, commit) {
    var point = focus || { x: this.frameWidth / 2, y: this.frameHeight / 2 };
    var scale = this.scale();
    var fixed = { x: this.left + point.x / scale, y: this.top + point.y / scale };
    this.zoom = Math.max(1, Math.min(this.maxZoom(), zoom));
    scale = this.scale();
    this.left = fixed.x - point.x / scale;
    this.top = fixed.y - point.y / scale;
    this.clamp();
    this.render();
    this.changed(commit !== false);
  };

  Cropper.prototype.pan = function (dx, dy) {
    var scale = this.scale();
    this.left -= dx / scale;
    this.top -= dy / scale;
    this.clamp();
    this.render();
    this.changed(true);
  };

  // Give the frame the largest size of the crop's shape that fits ``width`` x ``height``.
  Cropper.prototype.fit = function (width, height) {
    if (!(width > 0) || !(height > 0)) return;
    var frameWidth = Math.min(width, height * this.ratio);
    this.frameWidth = Math.floor(frameWidth);
    this.frameHeight = Math.floor(frameWidth / this.ratio);
    this.frame.style.width = this.frameWidth + "px";
    this.frame.style.height = this.frameHeight + "px";
    this.render();
  };

  // Pixels of the frame per pixel of the picture.
  Cropper.prototype.scale = function () {
    return this.frameWidth / this.box().width;
  };

  Cropper.prototype.clamp = function () {
    var size = this.size();
    var box = this.box();
    this.left = Math.max(0, Math.min(size.width - box.width, this.left));
    this.top = Math.max(0, Math.min(size.height - box.height, this.top));
  };

  // The crop in the server's terms.
  Cropper.prototype.value = function () {
    var size = this.size();
    var box = this.box();
    var width = Math.min(1, round6(box.width / size.width));
    var height = Math.min(1, round6(box.height / size.height));
    return {
      x: Math.max(0, Math.min(1 - width, round6(this.left / size.width))),
      y: Math.max(0, Math.min(1 - height, round6(this.top / size.height))),
      width: width,
      height: height,
      rotation: this.rotation,
    };
  };

  Cropper.prototype.render = function () {
    if (!this.frameWidth) return;
    place(this.image, this.frameWidth, this.source, this.value());
  };

  Cropper.prototype.changed = function (commit) {
    var value = this.value();
    if (this.options.onChange) this.options.onChange(value, this.zoom);
    if (commit && this.options.onCommit) this.options.onCommit(value, this.zoom);
  };

  // --- Gestures ---------------------------------------------------------------------------

  Cropper.prototype.local = function (event) {
    var rect = this.frame.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  // A gesture starts again each time a finger comes or goes: the picture's point under the
  // fingers' middle then follows the middle, and the zoom follows their distance.
  Cropper.prototype.startGesture = function () {
    var points = Object.keys(this.pointers).map(function (id) {
      return this.pointers[id];
    }, this);
    if (!points.length) {
      this.gesture = null;
      return;
    }
    var middle = midpoint(points);
    var scale = this.scale();
    this.gesture = {
      zoom: this.zoom,
      distance: spread(points),
      fixed: { x: this.left + middle.x / scale, y: this.top + middle.y / scale },
    };
  };

  Cropper.prototype.follow = function () {
    var gesture = this.gesture;
    if (!gesture) return;
    var points = Object.keys(this.pointers).map(function (id) {
      return this.pointers[id];
    }, this);
    var middle = midpoint(points);
    if (points.length > 1 && gesture.distance > 0) {
      var zoom = gesture.zoom * (spread(points) / gesture.distance);
      this.zoom = Math.max(1, Math.min(this.maxZoom(), zoom));
    }
    var scale = this.scale();
    this.left = gesture.fixed.x - middle.x / scale;
    this.top = gesture.fixed.y - middle.y / scale;
    this.clamp();
    this.render();
    this.changed(false);
  };

  function midpoint(points) {
    var x = 0;
    var y = 0;
    points.forEach(function (point) {
      x += point.x;
      y += point.y;
    });
    return { x: x / points.length, y: y / points.length };
  }

  function spread(points) {
    if (points.length < 2) return 0;
    return Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y);
  }

  Cropper.prototype.bind = function () {
    var self = this;
    var frame = this.frame;
    frame.addEventListener("pointerdown", function (event) {
      if (!self.enabled || (event.pointerType === "mouse" && event.button !== 0)) return;
      event.preventDefault();
      try {
        frame.setPointerCapture(event.pointerId);
      } catch (ignored) {
        // A synthetic pointer cannot be captured; its moves still reach the frame.
      }
      self.pointers[event.pointerId] = self.local(event);
      frame.classList.add("is-moving");
      self.startGesture();
    });
    frame.addEventListener("pointermove", function (event) {
      if (!(event.pointerId in self.pointers)) return;
      event.preventDefault();
      self.pointers[event.pointerId] = self.local(event);
      self.follow();
    });
    function end(event) {
      if (!(event.pointerId in self.pointers)) return;
      delete self.pointers[event.pointerId];
      self.startGesture();
      if (!self.gesture) {
        frame.classList.remove("is-moving");
        self.changed(true);
      }
    }
    frame.addEventListener("pointerup", end);
    frame.addEventListener("pointercancel", end);
    frame.addEventListener(
      "wheel",
      function (event) {
        if (!self.enabled) return;
        event.preventDefault();
        var delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
        self.zoomTo(self.zoom * Math.exp(-delta / WHEEL_SCALE), self.local(event));
      },
      { passive: false }
    );
    frame.addEventListener("keydown", function (event) {
      if (!self.enabled) return;
      var step = event.shiftKey ? KEY_STEP * 4 : KEY_STEP;
      var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (moves[event.key]) {
        event.preventDefault();
        self.pan(moves[event.key][0], moves[event.key][1]);
      } else if (event.key === "+" || event.key === "=") {
        event.preventDefault();
        self.zoomTo(self.zoom * 1.1);
      } else if (event.key === "-" || event.key === "_") {
        event.preventDefault();
        self.zoomTo(self.zoom / 1.1);
      }
    });
  };

  window.GlimpseCropper = Cropper;
})();
