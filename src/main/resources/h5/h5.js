// 政务服务好差评 H5 page. The page works without this script (the server checks every answer);
// with it, the reason tags follow the chosen level and a bad level without a reason is stopped
// before it is sent (000 第七条: 不满意/非常不满意 need a tag or a reason in words).
(function () {
  'use strict';
  var NEEDS_REASON = '选择“不满意”或“非常不满意”时，请至少选择一项不满意的原因，或填写文字评价。';
  var NEEDS_LEVEL = '请选择满意程度。';

  function chosen(form) {
    var c = form.querySelector('input[name=level]:checked');
    return c ? c : null;
  }

  function showTags(form) {
    var level = chosen(form);
    var bad = level && level.getAttribute('data-bad') === 'true';
    Array.prototype.forEach.call(form.querySelectorAll('fieldset.tags'), function (fs) {
      var forBad = fs.getAttribute('data-polarity') === 'BAD';
      var hide = !level || forBad !== bad;
      fs.hidden = hide;
      fs.disabled = hide; // hidden tags are not sent
    });
  }

  function say(form, text) {
    var box = form.querySelector('.error');
    box.innerHTML = '';
    var p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    box.hidden = false;
    box.focus();
  }

  // What is still missing before the form may be sent, or null.
  function missing(form) {
    var level = chosen(form);
    if (!level) {
      return NEEDS_LEVEL;
    }
    if (level.getAttribute('data-bad') === 'true') {
      var tagged = form.querySelector('fieldset.tags[data-polarity=BAD] input:checked');
      var text = form.querySelector('textarea');
      if (!tagged && (!text || text.value.trim() === '')) {
        return NEEDS_REASON;
      }
    }
    return null;
  }

  function check(event) {
    var problem = missing(event.target);
    if (problem) {
      event.preventDefault();
      say(event.target, problem);
    }
  }

  // Once the citizen has fixed what the message asked for, the message goes.
  function recheck(form) {
    var box = form.querySelector('.error');
    if (!box.hidden && !missing(form)) {
      box.hidden = true;
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll('#rating-form, #feedback-form'), function (form) {
    showTags(form);
    form.addEventListener('change', function (e) {
      if (e.target.name === 'level') {
        showTags(form);
      }
      recheck(form);
    });
    form.addEventListener('input', function () {
      recheck(form);
    });
    form.addEventListener('submit', check);
  });
})();
