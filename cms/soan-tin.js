/* The web form /soan-tin/ around Decap CMS (docs/soan-tin.md).
 *
 * Loaded before decap-cms.js: it holds Decap's start back (CMS_MANUAL_INIT),
 * then, once Decap is loaded, completes its Vietnamese phrases, gives chosen
 * photos the clean file names the check asks for, and starts it.
 * Written by hand (no build step): a few dozen lines that only use Decap's
 * public API (registerLocale, getLocale, init).
 */
window.CMS_MANUAL_INIT = true;

(function () {
  'use strict';

  // Phrases Decap 3.16's `vi` locale lacks (77 of 248), and a few of ours: a
  // contributor "gửi" (sends) an item for review, the editors "đăng" (publish).
  var VI = {
    auth: {
      loginWithAzure: 'Đăng nhập bằng Azure',
      loginWithForgejo: 'Đăng nhập bằng Forgejo',
    },
    app: { header: { content: 'Tin, bài', workflow: 'Đang chờ duyệt', media: 'Ảnh', quickAdd: 'Viết mới' } },
    collection: {
      sidebar: { collections: 'Danh mục' },
      collectionTop: {
        viewAsList: 'Xem dạng danh sách',
        viewAsGrid: 'Xem dạng lưới',
        groupBy: 'Nhóm theo',
        newButton: 'Viết %{collectionLabel} mới',
      },
      entries: { unpublishedHeader: 'Tin, bài chưa đăng' },
      groups: { other: 'Khác', negateLabel: 'Không %{label}' },
    },
    editor: {
      editorControl: { field: { optional: 'không bắt buộc', widgetLabel: 'Trường %{widgetLabel}' } },
      editorControlPane: {
        i18n: {
          writingInLocale: 'Đang viết bằng %{locale}',
          copyFromLocale: 'Điền từ ngôn ngữ khác',
          copyFromLocaleConfirm: 'Điền dữ liệu từ %{locale}?\nMọi nội dung hiện có sẽ bị ghi đè.',
        },
      },
      editorInterface: {
        toggleI18n: 'Bật/tắt đa ngôn ngữ',
        togglePreview: 'Bật/tắt xem trước',
        toggleScrollSync: 'Cuộn đồng thời',
        toggleNotes: 'Bật/tắt ghi chú',
      },
      editorNotesPane: {
        title: 'Ghi chú',
        emptyState: 'Chưa có ghi chú. Thêm ghi chú đầu tiên ở dưới.',
        addNote: 'Thêm ghi chú',
        addPlaceholder: 'Thêm một ghi chú…',
        editPlaceholder: 'Sửa ghi chú…',
        save: 'Lưu',
        cancel: 'Hủy',
        edit: 'Sửa',
        delete: 'Xóa',
        resolve: 'Đã xử lý',
        unresolve: 'Chưa xử lý',
        confirmDelete: 'Bạn có chắc muốn xóa ghi chú này?',
        shortcut: 'Mẹo: nhấn Ctrl+Enter để thêm nhanh ghi chú',
      },
      editorToolbar: {
        status: 'Trạng thái: %{status}',
        save: 'Lưu và gửi',
        saving: 'Đang gửi…',
        draft: 'Bản nháp',
        inReview: 'Gửi Ban Biên tập duyệt',
        ready: 'Sẵn sàng đăng',
        statusInfoTooltipDraft:
          'Tin, bài đang là bản nháp. Khi viết xong, chọn trạng thái “Gửi Ban Biên tập duyệt”.',
        statusInfoTooltipInReview:
          'Ban Biên tập đang duyệt; bạn vẫn có thể sửa và lưu lại, máy sẽ kiểm tra lại.',
        deployPreviewPendingButtonLabel: 'Xem kết quả kiểm tra',
        deployPreviewButtonLabel: 'Kết quả kiểm tra',
        backCollection: ' Đang viết %{collectionLabel}',
        deleteUnpublishedEntry: 'Xóa tin, bài này (chưa đăng)',
        deleteUnpublishedChanges: 'Bỏ các thay đổi chưa đăng',
      },
      editorWidgets: {
        markdown: {
          bold: 'Chữ đậm',
          italic: 'Chữ nghiêng',
          strikethrough: 'Gạch ngang',
          code: 'Mã',
          link: 'Liên kết',
          linkPrompt: 'Nhập địa chỉ của liên kết',
          headings: 'Tiêu đề mục',
          quote: 'Trích dẫn',
          bulletedList: 'Danh sách gạch đầu dòng',
          numberedList: 'Danh sách đánh số',
          addComponent: 'Thêm thành phần',
          richText: 'Soạn thảo',
          markdown: 'Markdown',
          toggleMode: { rich: 'Chuyển sang soạn thảo thường', markdown: 'Chuyển sang Markdown' },
        },
        image: {
          choose: 'Chọn ảnh',
          chooseDifferent: 'Chọn ảnh khác',
          remove: 'Bỏ ảnh',
          chooseMultiple: 'Chọn ảnh',
          chooseUrl: 'Chèn từ địa chỉ web',
          replaceUrl: 'Thay bằng địa chỉ web',
          promptUrl: 'Nhập địa chỉ của ảnh',
          addMore: 'Thêm ảnh',
          removeAll: 'Bỏ mọi ảnh',
        },
        file: {
          chooseUrl: 'Chèn từ địa chỉ web',
          chooseMultiple: 'Chọn tệp',
          replaceUrl: 'Thay bằng địa chỉ web',
          promptUrl: 'Nhập địa chỉ của tệp',
          addMore: 'Thêm tệp',
          removeAll: 'Bỏ mọi tệp',
        },
        datetime: { setToNow: 'Đặt %{fieldLabel} là bây giờ', now: 'Bây giờ', clear: 'Xóa' },
        list: { add: 'Thêm %{item}', addType: 'Thêm %{item}' },
        object: { expand: 'Mở rộng', collapse: 'Thu gọn' },
      },
    },
    mediaLibrary: {
      mediaLibraryCard: {
        copy: 'Sao chép',
        copyUrl: 'Sao chép địa chỉ',
        copyPath: 'Sao chép đường dẫn',
        copyName: 'Sao chép tên',
        copied: 'Đã sao chép',
      },
      mediaLibraryModal: {
        close: 'Đóng',
        chooseSelected: 'Dùng ảnh đã chọn',
        deleteSelected: 'Xóa ảnh đã chọn',
        uploading: 'Đang tải lên…',
        upload: 'Tải ảnh lên',
        images: 'Ảnh của tin, bài',
      },
    },
    ui: {
      settingsDropdown: { account: 'Tài khoản', logOut: 'Đăng xuất' },
      toast: {
        noteAdded: 'Đã thêm ghi chú',
        onFailToAddNote: 'Không thêm được ghi chú: %{details}',
        noteUpdated: 'Đã sửa ghi chú',
        onFailToUpdateNote: 'Không sửa được ghi chú: %{details}',
        noteDeleted: 'Đã xóa ghi chú',
        onFailToDeleteNote: 'Không xóa được ghi chú: %{details}',
        noteResolved: 'Ghi chú đã xử lý',
        noteReopened: 'Ghi chú mở lại',
        onFailToToggleNote: 'Không đổi được trạng thái ghi chú: %{details}',
        entrySaved: 'Đã gửi. Máy đang kiểm tra tin, bài; bấm “Xem kết quả kiểm tra”.',
      },
    },
    workflow: {
      workflow: {
        workflowHeading: 'Tin, bài đang chờ duyệt',
        newPost: 'Viết tin, bài mới',
        loading: 'Đang tải tin, bài chờ duyệt',
        dateFormat: 'DD/MM/YYYY',
        description: '%{smart_count} tin, bài đang chờ duyệt, %{readyCount} sẵn sàng đăng. |||| ' +
          '%{smart_count} tin, bài đang chờ duyệt, %{readyCount} sẵn sàng đăng.',
      },
      workflowList: { draftHeader: 'Bản nháp', inReviewHeader: 'Đang duyệt', readyHeader: 'Sẵn sàng đăng' },
      workflowCard: { publishNewEntry: 'Đăng (Ban Biên tập)', publishChanges: 'Đăng thay đổi (Ban Biên tập)' },
    },
  };

  function merge(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (key) { out[key] = base[key]; });
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      out[key] = value && typeof value === 'object' ? merge(out[key] || {}, value) : value;
    });
    return out;
  }

  // Phone cameras name photos "IMG_20251201_083000.JPG" or "Ảnh chụp 1.jpeg"; the
  // check accepts lower-case ASCII words joined by "-" (anh-1.jpg). Decap lowers
  // the case but keeps "_", spaces become "-" only sometimes: rename the chosen
  // file before Decap's own handler reads it (a capturing listener runs first).
  var FOLD = { 'đ': 'd', 'Đ': 'd' };
  function cleanPhotoName(name) {
    var dot = name.lastIndexOf('.');
    var stem = dot > 0 ? name.slice(0, dot) : name;
    var ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : 'jpg';
    if (ext === 'jpeg') ext = 'jpg';
    stem = stem.replace(/[đĐ]/g, function (c) { return FOLD[c]; })
      .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return (stem || 'anh').slice(0, 60).replace(/-+$/, '') + '.' + ext;
  }

  function renameChosenPhotos(event) {
    var input = event.target;
    if (!input || input.type !== 'file' || !input.files || !input.files.length) return;
    if (typeof DataTransfer === 'undefined') return;
    var renamed = new DataTransfer();
    var changed = false;
    Array.prototype.forEach.call(input.files, function (file) {
      var clean = cleanPhotoName(file.name);
      changed = changed || clean !== file.name;
      renamed.items.add(clean === file.name ? file
        : new File([file], clean, { type: file.type, lastModified: file.lastModified }));
    });
    if (changed) input.files = renamed.files;
  }

  // After the first save of a new item, Decap 3.16 stays on the same editor
  // and never asks for the branch's status (its poll starts only when the editor
  // opens an existing entry), so the contributor would not see the check's
  // verdict. Once the address is the saved entry's, open it afresh.
  function reopenSavedEntry() {
    var started = Date.now();
    var timer = setInterval(function () {
      if (location.hash.indexOf('/entries/') !== -1) {
        clearInterval(timer);
        setTimeout(function () { location.reload(); }, 800);
      } else if (Date.now() - started > 15000) {
        clearInterval(timer);
      }
    }, 200);
  }

  // Accessibility gaps of Decap 3.16's editor that axe-core reports as serious
  // or critical, filled in on the live page (Decap re-renders, so on every
  // change): the rich-text body has no accessible name; the rich-text/Markdown
  // switch has neither a name nor a state; the headings menu's button sits
  // inside another button (the menu's own, which keeps the keyboard focus).
  function fillAccessibility(root) {
    root.querySelectorAll('[data-slate-editor="true"]:not([aria-label])').forEach(function (el) {
      el.setAttribute('aria-label', 'Nội dung');
    });
    root.querySelectorAll('button[role="switch"]').forEach(function (el) {
      var control = el.closest('[class*="-ControlContainer"]') || document;
      var checked = control.querySelector('[data-slate-editor]') ? 'false' : 'true';
      if (el.getAttribute('aria-checked') !== checked) el.setAttribute('aria-checked', checked);
      if (!el.hasAttribute('aria-label')) el.setAttribute('aria-label', 'Soạn bằng Markdown');
    });
    root.querySelectorAll('[role="button"][aria-haspopup] button:not([aria-hidden])').forEach(function (el) {
      var menu = el.closest('[role="button"]');
      if (el.title && !menu.hasAttribute('aria-label')) menu.setAttribute('aria-label', el.title);
      // Not focusable, not a target: taps and keys reach the menu's own button.
      el.setAttribute('tabindex', '-1');
      el.setAttribute('aria-hidden', 'true');
      el.disabled = true;
      el.style.pointerEvents = 'none';
    });
  }

  // What a contributor does not use: the list of all items (see avoidTheFullList)
  // and the site-wide media library (an upload there would go to the main branch).
  function hideForContributors(root) {
    root.querySelectorAll('header a[href="#/"], header button').forEach(function (el) {
      var text = (el.innerText || '').trim();
      if ((el.tagName === 'A' || text === 'Ảnh') && el.style.display !== 'none') {
        el.style.display = 'none';
      }
    });
  }

  function watchAccessibility() {
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        fillAccessibility(document);
        hideForContributors(document);
      });
    }).observe(document.body, { childList: true, subtree: true, attributes: true,
      attributeFilter: ['class'] });
    fillAccessibility(document);
  }

  // The list of all items (Decap's collection page) shows the published items
  // as empty rows (Decap cannot read their `Key: value` header) and is no
  // contributor's business: they need “Viết tin, bài mới” and their own items
  // waiting for review. The list's address leads to the latter.
  function avoidTheFullList() {
    if (/^#?\/?(collections(\/[^/]*)?\/?)?$/.test(location.hash) || location.hash === '#/') {
      location.replace('#/workflow');
    }
  }

  window.MTTQ_SOAN_TIN = { cleanPhotoName: cleanPhotoName };
  // Now, before decap-cms.js runs: its router reads the address when it loads.
  avoidTheFullList();
  window.addEventListener('hashchange', avoidTheFullList);

  window.addEventListener('DOMContentLoaded', function () {
    var CMS = window.CMS;
    if (!CMS) return;
    CMS.registerLocale('vi', merge(CMS.getLocale('vi'), VI));
    document.addEventListener('change', renameChosenPhotos, true);
    watchAccessibility();
    var wasNew = false;
    CMS.registerEventListener({
      name: 'preSave',
      handler: function () { wasNew = /\/new$/.test(location.hash); },
    });
    CMS.registerEventListener({
      name: 'postSave',
      handler: function () { if (wasNew) reopenSavedEntry(); },
    });
    CMS.init();
  });
})();
